"""WhatsApp tests: Meta's Cloud API through the fake Graph API, and Twilio's `whatsapp:`
addresses through the fake Twilio, with real Redis, the real database and the RQ jobs."""

from datetime import UTC, datetime

import pytest
import time_machine
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.plugin import (
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_TEMPLATE,
    WHATSAPP_TOKEN,
    WHATSAPP_VERIFY_TOKEN,
)


@pytest.fixture
def whatsapp_settings(provider_settings, fake_graph) -> dict:
    return {
        **provider_settings,
        "whatsapp_token": WHATSAPP_TOKEN,
        "whatsapp_phone_number_id": WHATSAPP_PHONE_NUMBER_ID,
        "whatsapp_app_secret": WHATSAPP_APP_SECRET,
        "whatsapp_verify_token": WHATSAPP_VERIFY_TOKEN,
        "whatsapp_api_url": fake_graph.api_url,
        "whatsapp_template_status": WHATSAPP_TEMPLATE,
    }


@pytest.fixture
def settings_overrides(whatsapp_settings) -> dict:
    return whatsapp_settings


@pytest.fixture
def clock():
    """The clock, ticking from a fixed morning; `clock.shift(seconds)` moves it."""
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller
