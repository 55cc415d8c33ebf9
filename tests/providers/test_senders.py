"""The senders use the official SDKs against the local fakes: what each answer means for the
outbox (sent, retry later, fail now, opted out)."""

from __future__ import annotations

import socket

import pytest
from fakes.plugin import AT_API_KEY, AT_USERNAME, TWILIO_SID, TWILIO_TOKEN

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError
from casebridge.settings import Settings
from gateway.providers.africastalking.sms import make_sender as make_at
from gateway.providers.africastalking.sms_sender import AfricasTalkingSender, read_response
from gateway.providers.twilio.sms import make_sender as make_twilio
from gateway.providers.twilio.sms_sender import TwilioSender

PHONE = "+6281234567890"


def sms(to: str = PHONE, our_number: str | None = None) -> OutboundSms:
    return OutboundSms(1, to, "Halo", our_number)


@pytest.fixture
def at_sender(fake_at):
    return AfricasTalkingSender(AT_USERNAME, AT_API_KEY, fake_at.api_url, "PENGADUAN")


@pytest.fixture
def twilio_sender(fake_twilio):
    return TwilioSender(
        TWILIO_SID, TWILIO_TOKEN, fake_twilio.url, "+15005550006", "https://gw/sms/twilio/status"
    )


def test_at_sends_through_the_sdk_to_the_configured_url(at_sender, fake_at):
    result = at_sender.send(sms())
    assert result.status == "sent" and result.provider_message_id.startswith("ATXid_")
    call = fake_at.requests[-1]
    assert call.path == "/version1/messaging" and call.headers["Apikey"] == AT_API_KEY
    assert call.form == {
        "username": AT_USERNAME,
        "to": PHONE,
        "message": "Halo",
        "bulkSMSMode": "1",
        "from": "PENGADUAN",
    }


def test_at_replies_leave_from_the_number_written_to(at_sender, fake_at):
    at_sender.send(sms(our_number="20880"))
    assert fake_at.sent[-1]["from"] == "20880"


@pytest.mark.parametrize(
    ("code", "error", "opted_out"),
    [
        (403, PermanentSendError, False),
        (406, PermanentSendError, True),
        (407, PermanentSendError, False),
        (405, RetryableSendError, False),
        (500, RetryableSendError, False),
    ],
)
def test_at_recipient_status_codes(at_sender, fake_at, code, error, opted_out):
    fake_at.statuses[PHONE] = code
    with pytest.raises(error) as raised:
        at_sender.send(sms())
    assert getattr(raised.value, "opted_out", False) is opted_out


@pytest.mark.parametrize("status", [500, 502, 503, 429, 401])
def test_at_http_errors_are_retried(at_sender, fake_at, status):
    fake_at.fail_next(1, status)
    with pytest.raises(RetryableSendError):
        at_sender.send(sms())
    assert at_sender.send(sms()).status == "sent"


def test_at_refuses_a_number_the_sdk_refuses(at_sender, fake_at):
    with pytest.raises(PermanentSendError) as raised:
        at_sender.send(sms(to="081234567890"))
    assert raised.value.code == "InvalidPhoneNumber" and "081234567890" not in str(raised.value)
    assert fake_at.requests == []


def test_at_wrong_key_is_retried_not_lost(fake_at):
    sender = AfricasTalkingSender(AT_USERNAME, "wrong-key", fake_at.api_url)
    with pytest.raises(RetryableSendError):
        sender.send(sms())


def test_at_unreadable_or_empty_answers():
    with pytest.raises(RetryableSendError):
        read_response("<html>proxy error</html>")
    with pytest.raises(PermanentSendError, match="InvalidSenderId"):
        read_response({"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}})
    with pytest.raises(PermanentSendError, match="unknown"):
        read_response({"SMSMessageData": {"Recipients": [{"statusCode": 999}]}})
    ok = read_response(
        '{"SMSMessageData": {"Recipients": [{"statusCode": 101, "messageId": "A"}]}}'
    )
    assert ok.provider_message_id == "A"


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


def test_network_errors_are_retried():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    with pytest.raises(RetryableSendError):
        AfricasTalkingSender(AT_USERNAME, AT_API_KEY, dead + "/version1").send(sms())
    with pytest.raises(RetryableSendError):
        TwilioSender(TWILIO_SID, TWILIO_TOKEN, dead, "+15005550006").send(sms())


def test_twilio_without_a_number_to_send_from(fake_twilio):
    with pytest.raises(PermanentSendError, match="TWILIO_FROM"):
        TwilioSender(TWILIO_SID, TWILIO_TOKEN, fake_twilio.url).send(sms())


def test_senders_exist_only_when_configured(tmp_path):
    bare = Settings.load(env={"SECRET_KEY": "x"}, instance_dir=tmp_path)
    assert make_at(bare) is None and make_twilio(bare) is None
    full = Settings.load(
        env={
            "SECRET_KEY": "x",
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
