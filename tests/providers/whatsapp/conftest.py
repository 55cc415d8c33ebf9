"""WhatsApp Cloud API: the webhooks and the sender against the fake Graph API."""

import pytest
from fakes.plugin import (
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_TEMPLATE,
    WHATSAPP_TOKEN,
    WHATSAPP_VERIFY_TOKEN,
)


@pytest.fixture
def settings_overrides(provider_settings, fake_graph) -> dict:
    return {
        **provider_settings,
        "whatsapp_token": WHATSAPP_TOKEN,
        "whatsapp_phone_number_id": WHATSAPP_PHONE_NUMBER_ID,
        "whatsapp_app_secret": WHATSAPP_APP_SECRET,
        "whatsapp_verify_token": WHATSAPP_VERIFY_TOKEN,
        "whatsapp_api_url": fake_graph.api_url,
        "whatsapp_template_status": WHATSAPP_TEMPLATE,
    }
