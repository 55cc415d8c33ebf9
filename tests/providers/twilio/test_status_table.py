"""Twilio's status callback words and error codes mapped to ours, as data."""

from __future__ import annotations

import pytest

from gateway.providers.twilio import sms as twilio_sms
from gateway.providers.twilio import sms_status as tw


@pytest.mark.parametrize(
    ("status", "code", "ours", "opted_out"),
    [
        ("accepted", None, "sent", False),
        ("queued", None, "sent", False),
        ("sending", None, "sent", False),
        ("sent", None, "sent", False),
        ("delivered", None, "delivered", False),
        ("read", None, "delivered", False),
        ("undelivered", "30003", "failed", False),
        ("failed", "30008", "failed", False),
        ("failed", "21610", "failed", True),
        ("canceled", None, "failed", False),
    ],
)
def test_twilio_status_callbacks(status, code, ours, opted_out):
    form = {"MessageSid": "SM1", "MessageStatus": status}
    if code:
        form["ErrorCode"] = code
    report = twilio_sms.parse_status(form)
    assert (report.status, report.opted_out) == (ours, opted_out)


def test_twilio_inbound_states_are_ignored():
    assert twilio_sms.parse_status({"MessageSid": "SM1", "MessageStatus": "received"}) is None


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (21610, tw.OPTED_OUT),
        (21211, tw.FAIL),
        (21614, tw.FAIL),
        (20429, tw.RETRY),
        (63018, tw.RETRY),
        (63017, tw.RETRY),
        (14107, tw.RETRY),
        (30022, tw.RETRY),
    ],
)
def test_twilio_error_codes(code, outcome):
    assert tw.SEND_ERRORS[code] == outcome


@pytest.mark.parametrize(
    ("status", "code", "ours"),
    [
        ("failed", "63018", "retry"),
        ("undelivered", "30001", "retry"),
        ("failed", "30003", "failed"),
        ("failed", "99999", "failed"),
        ("failed", "٦٣٠١٨", "failed"),  # digits, but not ASCII ones
        ("failed", None, "failed"),
    ],
)
def test_twilio_failures_for_a_passing_reason_are_retried(status, code, ours):
    form = {"MessageSid": "SM1", "MessageStatus": status}
    if code:
        form["ErrorCode"] = code
    assert twilio_sms.parse_status(form).status == ours
