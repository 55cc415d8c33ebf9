"""What every provider's status table does alike: an unknown value is an explicit error that
lists the known ones, except in a delivery report, where it is `unknown`
(test_delivery_reports.py). Each provider's own table: <provider>/test_status_table.py."""

from __future__ import annotations

import pytest

from gateway.providers.africastalking import sms as at_sms
from gateway.providers.africastalking import sms_status as at
from gateway.providers.base import UnknownStatus, WebhookError
from gateway.providers.twilio import sms as twilio_sms
from gateway.providers.twilio import sms_status as tw


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
