"""The Twilio sender uses the official SDK against the fake Twilio API: what each answer means
for the outbox (sent, retry later, fail now, opted out)."""

from __future__ import annotations

import pytest
from fakes.plugin import TWILIO_SID, TWILIO_TOKEN

from casebridge.messaging import PermanentSendError, RetryableSendError
from gateway.providers.twilio.sms_sender import TwilioSender

from ..messages import PHONE, sms


@pytest.fixture
def twilio_sender(fake_twilio):
    return TwilioSender(
        TWILIO_SID, TWILIO_TOKEN, fake_twilio.url, "+15005550006", "https://gw/sms/twilio/status"
    )


def test_twilio_sends_through_the_sdk_with_basic_auth(twilio_sender, fake_twilio):
    result = twilio_sender.send(sms())
    assert result.status == "sent" and result.provider_message_id.startswith("SM")
    call = fake_twilio.requests[-1]
    assert call.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert call.form == {
        "To": PHONE,
        "From": "+15005550006",
        "Body": "Halo",
        "StatusCallback": "https://gw/sms/twilio/status",
    }


def test_twilio_replies_leave_from_the_number_written_to(twilio_sender, fake_twilio):
    twilio_sender.send(sms(our_number="+85258001234"))
    assert fake_twilio.sent[-1]["from"] == "+85258001234"


@pytest.mark.parametrize(
    ("code", "error", "opted_out"),
    [
        (21610, PermanentSendError, True),
        (21211, PermanentSendError, False),
        (21614, PermanentSendError, False),
        (20429, RetryableSendError, False),
    ],
)
def test_twilio_error_codes(twilio_sender, fake_twilio, code, error, opted_out):
    fake_twilio.errors[PHONE] = code
    with pytest.raises(error) as raised:
        twilio_sender.send(sms())
    assert raised.value.code == str(code)
    assert getattr(raised.value, "opted_out", False) is opted_out
    assert "+6281234567890" not in str(raised.value)  # numbers in Twilio's text are masked


@pytest.mark.parametrize("status", [500, 503])
def test_twilio_server_errors_are_retried(twilio_sender, fake_twilio, status):
    fake_twilio.fail_next(1, status)
    with pytest.raises(RetryableSendError):
        twilio_sender.send(sms())


def test_twilio_wrong_token_is_retried_not_lost(fake_twilio):
    sender = TwilioSender(TWILIO_SID, "wrong", fake_twilio.url, "+15005550006")
    with pytest.raises(RetryableSendError, match="401"):
        sender.send(sms())


def test_twilio_without_a_number_to_send_from(fake_twilio):
    with pytest.raises(PermanentSendError, match="TWILIO_FROM"):
        TwilioSender(TWILIO_SID, TWILIO_TOKEN, fake_twilio.url).send(sms())
