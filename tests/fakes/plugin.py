"""Fixtures for tests that talk to the provider fakes: import them into a conftest with
`from fakes.plugin import *`."""

from __future__ import annotations

import pytest

from .africastalking import FakeAfricasTalking
from .graph_api import FakeGraphApi
from .twilio import FakeTwilio

AT_USERNAME = "pengaduan"
AT_API_KEY = "at-secret-api-key-7f3a"
AT_TOKEN = "at-webhook-token-91c2"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "twilio-secret-token-5d8e"
TWILIO_FROM = "+15005550006"
PUBLIC_BASE_URL = "https://gw.example.org"
WHATSAPP_TOKEN = "whatsapp-secret-token-3b1f"
WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
WHATSAPP_APP_SECRET = "whatsapp-app-secret-8c2d"
WHATSAPP_VERIFY_TOKEN = "whatsapp-verify-token-6e0a"
WHATSAPP_TEMPLATE = "pengaduan_status"

__all__ = [
    "at_server",
    "fake_at",
    "fake_graph",
    "graph_server",
    "fake_twilio",
    "provider_settings",
    "settings_overrides",
    "sms_jobs",
    "twilio_server",
    "whatsapp_settings",
]


@pytest.fixture(scope="session")
def at_server():
    server = FakeAfricasTalking(AT_USERNAME, AT_API_KEY).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def twilio_server():
    server = FakeTwilio(TWILIO_SID, TWILIO_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def graph_server():
    server = FakeGraphApi(WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID).start()
    yield server
    server.stop()


@pytest.fixture
def fake_graph(graph_server) -> FakeGraphApi:
    graph_server.reset()
    return graph_server


@pytest.fixture
def fake_at(at_server) -> FakeAfricasTalking:
    at_server.reset()
    return at_server


@pytest.fixture
def fake_twilio(twilio_server) -> FakeTwilio:
    twilio_server.reset()
    return twilio_server


@pytest.fixture
def provider_settings(fake_at, fake_twilio) -> dict:
    """Both providers configured against the fakes, webhooks protected, AT the default."""
    return {
        "sms_provider": "africastalking",
        "public_base_url": PUBLIC_BASE_URL,
        "at_username": AT_USERNAME,
        "at_api_key": AT_API_KEY,
        "at_api_url": fake_at.api_url,
        "at_webhook_token": AT_TOKEN,
        "twilio_account_sid": TWILIO_SID,
        "twilio_auth_token": TWILIO_TOKEN,
        "twilio_api_url": fake_twilio.url,
        "twilio_from": TWILIO_FROM,
        "allow_unsigned_webhooks": False,
    }


@pytest.fixture
def whatsapp_settings(provider_settings, fake_graph) -> dict:
    """The SMS providers, and WhatsApp's Cloud API against the fake Graph API."""
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
def settings_overrides(provider_settings) -> dict:
    return provider_settings


@pytest.fixture
def sms_jobs(services, jobs):
    """Queued jobs, run in this process, wired as a worker is (the SMS sweeper included)."""
    return jobs
