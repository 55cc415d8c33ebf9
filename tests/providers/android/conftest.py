"""The Android gateway provider against the fake phone: the official client talks to it over
HTTP, and its webhooks reach the app signed by the production `sign`."""

from __future__ import annotations

import pytest
from fakes.android_phone import DEVICE_ID, FakeAndroidPhone, PhoneWebhooks

LOGIN = "sms"
PASSWORD = "phone-secret-pass-3c9d"
KEY = "phone-signing-key-71be"
ROUTE = f"sim:2@{DEVICE_ID}"
"""`our_number` of a message that came in on SIM 2 of the fake phone."""


@pytest.fixture(scope="session")
def phone_server():
    server = FakeAndroidPhone(LOGIN, PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture
def fake_phone(phone_server) -> FakeAndroidPhone:
    phone_server.reset()
    return phone_server


@pytest.fixture
def android_settings(fake_phone) -> dict:
    return {
        "sms_provider": "android",
        "android_gateway_url": fake_phone.url,
        "android_gateway_login": LOGIN,
        "android_gateway_password": PASSWORD,
        "android_webhook_key": KEY,
    }


@pytest.fixture
def settings_overrides(provider_settings, android_settings) -> dict:
    """Africa's Talking and Twilio stay configured beside the phone, which is the default."""
    return {**provider_settings, **android_settings}


@pytest.fixture
def phone(client) -> PhoneWebhooks:
    """The phone's side: signed webhooks to the app."""
    return PhoneWebhooks(client, KEY)
