"""WhatsApp Cloud API: the webhooks and the sender against the fake Graph API."""

import pytest


@pytest.fixture
def settings_overrides(whatsapp_settings) -> dict:
    return whatsapp_settings
