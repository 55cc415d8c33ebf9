"""What every provider's sender does alike: a network error is retried, and a sender exists only
when its provider is configured, with its secrets kept out of its repr."""

from __future__ import annotations

import socket

import pytest
from fakes.plugin import AT_API_KEY, AT_USERNAME, TWILIO_SID, TWILIO_TOKEN

from casebridge.messaging import RetryableSendError
from casebridge.settings import Settings
from gateway.providers.africastalking.sms import make_sender as make_at
from gateway.providers.africastalking.sms_sender import AfricasTalkingSender
from gateway.providers.twilio.sms import make_sender as make_twilio
from gateway.providers.twilio.sms_sender import TwilioSender
from tests.conftest import TEST_DATA_KEY

from .messages import sms


def test_network_errors_are_retried():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(RetryableSendError):
        AfricasTalkingSender(AT_USERNAME, AT_API_KEY, dead + "/version1").send(sms())
    with pytest.raises(RetryableSendError):
        TwilioSender(TWILIO_SID, TWILIO_TOKEN, dead, "+15005550006").send(sms())


def test_senders_exist_only_when_configured(tmp_path):
    bare = Settings.load(env={"SECRET_KEY": "x"}, instance_dir=tmp_path)
    assert make_at(bare) is None and make_twilio(bare) is None
    full = Settings.load(
        env={
            "SECRET_KEY": "x",
            "DATA_KEY": TEST_DATA_KEY,
            "AT_USERNAME": "u",
            "AT_API_KEY": AT_API_KEY,
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "PUBLIC_BASE_URL": "https://gw.example.org/",
        },
        instance_dir=tmp_path,
    )
    assert make_at(full).api_url == "https://api.africastalking.com/version1"
    twilio = make_twilio(full)
    assert twilio.client.api.base_url == "https://api.twilio.com"
    assert twilio.status_callback == "https://gw.example.org/sms/twilio/status"
    assert AT_API_KEY not in repr(make_at(full)) and TWILIO_TOKEN not in repr(twilio)
