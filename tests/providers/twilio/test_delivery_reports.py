"""Twilio status callbacks through the real route, for a reply the real SDK sent to the fake: a
failure for a rate limit is sent again instead of failing for good."""

from __future__ import annotations

import pytest
import time_machine
from fakes.webhooks import twilio_sms, twilio_status

from casebridge.models import Message

from ..messages import reply_to, sent_id

PHONE = "+6281299990011"


@pytest.mark.parametrize("code", ["63018", "20429", "14107", "30022"])
def test_a_twilio_rate_limit_failure_is_sent_again(code, client, services, sms_jobs, fake_twilio):
    """Twilio fails a message it throttled: it is retried after the backoff, not given up."""
    twilio_sms(client, PHONE, "+15005550006", "INFO")
    sms_jobs.run()
    first = sent_id(fake_twilio, PHONE)
    assert twilio_status(client, first, "failed", code).status_code == 204
    row = reply_to(services, PHONE)
    assert row.status == "retrying" and f"Twilio {code}" in row.error
    assert row.provider_status == "failed"

    with time_machine.travel(row.next_attempt_at.timestamp() + 1, tick=False):
        sms_jobs.tick()
        sms_jobs.run()
    again = [m for m in fake_twilio.sent if m["to"] == PHONE]
    assert len(again) == 2 and again[-1]["id"] != first
    assert reply_to(services, PHONE).status == "sent"


def test_a_twilio_failure_for_good_is_final(client, services, sms_jobs, fake_twilio):
    twilio_sms(client, PHONE, "+15005550006", "INFO")
    sms_jobs.run()
    assert twilio_status(client, sent_id(fake_twilio, PHONE), "undelivered", "30003").status_code
    row = reply_to(services, PHONE)
    assert row.status == "failed" and row.next_attempt_at is None
    sms_jobs.tick()
    sms_jobs.run()
    assert len([m for m in fake_twilio.sent if m["to"] == PHONE]) == 1


def test_a_rate_limit_after_the_last_attempt_fails_for_good(
    client, services, sms_jobs, fake_twilio
):
    twilio_sms(client, PHONE, "+15005550006", "INFO")
    sms_jobs.run()
    with services.db.session() as s:
        s.get(Message, reply_to(services, PHONE).id).attempts = 7  # every retry used up
    assert twilio_status(client, sent_id(fake_twilio, PHONE), "failed", "63018").status_code
    row = reply_to(services, PHONE)
    assert (row.status, row.next_attempt_at) == ("failed", None)
    assert "Twilio 63018: rate limited" in row.error
