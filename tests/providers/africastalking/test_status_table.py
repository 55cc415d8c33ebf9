"""AT's send status codes and delivery report words mapped to ours, as data."""

from __future__ import annotations

import pytest

from gateway.providers.africastalking import sms as at_sms
from gateway.providers.africastalking import sms_status as at


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
