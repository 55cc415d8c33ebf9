"""Provider status words and codes mapped to ours, as data; unknown ones are explicit errors,
except in a delivery report, where they are `unknown` (tests/providers/test_delivery_reports.py)."""

from __future__ import annotations

import pytest

from gateway.providers.africastalking import sms as at_sms
from gateway.providers.africastalking import sms_status as at
from gateway.providers.base import UnknownStatus, WebhookError
from gateway.providers.twilio import sms as twilio_sms
from gateway.providers.twilio import sms_status as tw


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (100, at.SENT),
        (101, at.SENT),
        (102, at.SENT),
        (401, at.FAIL),
        (402, at.FAIL),
        (403, at.FAIL),
        (404, at.FAIL),
        (405, at.RETRY),
        (406, at.OPTED_OUT),
        (407, at.FAIL),
        (409, at.RETRY),
        (500, at.RETRY),
        (501, at.RETRY),
        (502, at.RETRY),
    ],
)
def test_at_send_status_codes(code, outcome):
    assert at.SEND_STATUS[code][1] == outcome


@pytest.mark.parametrize(
    ("status", "reason", "ours", "opted_out"),
    [
        ("Sent", None, "sent", False),
        ("Submitted", None, "sent", False),
        ("Buffered", None, "sent", False),
        ("Success", None, "delivered", False),
        ("Rejected", "InvalidLinkId", "failed", False),
        ("Failed", "DeliveryFailure", "failed", False),
        ("Failed", "UserInBlackList", "failed", True),
        ("Rejected", "UserInBlacklist", "failed", True),
        ("Expired", None, "failed", False),
    ],
)
def test_at_delivery_reports(status, reason, ours, opted_out):
    form = {"id": "ATXid_1", "status": status, "phoneNumber": "+254711000000"}
    if reason:
        form["failureReason"] = reason
    report = at_sms.parse_delivery(form)
    assert (report.status, report.opted_out) == (ours, opted_out)
    assert (report.error is not None) == (ours == "failed")
    if reason and ours == "failed":
        assert report.error == reason


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


def test_an_unknown_value_is_an_error_that_lists_the_known_ones():
    with pytest.raises(UnknownStatus) as raised:
        at.DELIVERY_STATUS["Teleported"]
    assert "'Teleported'" in str(raised.value) and "Success" in str(raised.value)
    with pytest.raises(UnknownStatus, match="known: 100, 101"):
        at.SEND_STATUS[999]
    with pytest.raises(UnknownStatus, match="delivered"):
        tw.DELIVERY_STATUS["lost"]


def test_an_unknown_status_in_a_delivery_report_is_unknown_with_its_word():
    at_report = at_sms.parse_delivery({"id": "x", "status": "Teleported"})
    assert (at_report.status, at_report.provider_status, at_report.error) == (
        "unknown",
        "Teleported",
        None,
    )
    tw_report = twilio_sms.parse_status({"MessageSid": "SM1", "MessageStatus": "lost"})
    assert (tw_report.status, tw_report.provider_status) == ("unknown", "lost")


def test_a_missing_status_is_still_a_bad_request():
    with pytest.raises(WebhookError, match="status"):
        at_sms.parse_delivery({"id": "x", "status": " "})
    with pytest.raises(WebhookError, match="MessageStatus"):
        twilio_sms.parse_status({"MessageSid": "SM1"})


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
