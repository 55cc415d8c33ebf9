"""The AT sender uses the official SDK against the fake AT API: what each answer means for the
outbox (sent, retry later, fail now, opted out)."""

from __future__ import annotations

import pytest
from fakes.plugin import AT_API_KEY, AT_USERNAME

from casebridge.messaging import PermanentSendError, RetryableSendError
from gateway.providers.africastalking.sms_sender import AfricasTalkingSender, read_response

from ..messages import PHONE, sms


@pytest.fixture
def at_sender(fake_at):
    return AfricasTalkingSender(AT_USERNAME, AT_API_KEY, fake_at.api_url, "PENGADUAN")


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
