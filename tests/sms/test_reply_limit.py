"""Replies to one phone are capped: sending INFO over and over stops costing an SMS each time
once the phone's limit is reached; the messages are still kept, and other phones are answered."""

from __future__ import annotations

import time_machine
from fakes.webhooks import at_sms
from sqlalchemy import func, select

from casebridge.models import Message, utcnow
from gateway.sms.reply_limit import LIMITS
from tests.conftest import phone_index

PHONE = "+60129876543"
OTHER = "+60121112222"


def count(services, phone: str, direction: str) -> int:
    with services.db.session() as s:
        return s.scalar(
            select(func.count(Message.id)).where(
                Message.phone_index == phone_index(phone), Message.direction == direction
            )
        )


def test_info_over_and_over_gets_at_most_the_limit_of_replies(client, services, sms_jobs, orgs):
    limit = LIMITS[0].amount
    with time_machine.travel(utcnow(), tick=True) as clock:
        for _ in range(limit + 5):
            clock.shift(30)  # apart enough not to be taken for a resend
            assert at_sms(client, PHONE, "20880", "INFO").status_code == 200
            sms_jobs.run()
    assert count(services, PHONE, "in") == limit + 5
    assert count(services, PHONE, "out") == limit
    assert at_sms(client, OTHER, "20880", "INFO").status_code == 200
    sms_jobs.run()
    assert count(services, OTHER, "out") == 1
