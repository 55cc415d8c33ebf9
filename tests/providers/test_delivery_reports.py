"""Delivery reports through the real routes, for a reply the real SDKs sent to the fakes: a
status our tables do not know is acknowledged (so the provider neither retries nor drops it),
kept raw on the message, warned about once per process, and never moves the message's state;
a Twilio failure for a rate limit is sent again instead of failing for good."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from fakes.webhooks import at_delivery, at_sms, twilio_sms, twilio_status
from sqlalchemy import select

from casebridge.models import Message

PHONE = "+6281299990011"


@dataclass(frozen=True)
class Provider:
    name: str
    ask: Callable  # (client, phone, text) -> response: an SMS that gets a reply
    report: Callable  # (client, message id, status) -> response: its delivery report
    delivered: str
    answer: int


PROVIDERS = [
    Provider(
        "africastalking",
        lambda client, phone, text: at_sms(client, phone, "20880", text),
        at_delivery,
        "Success",
        200,
    ),
    Provider(
        "twilio",
        lambda client, phone, text: twilio_sms(client, phone, "+15005550006", text),
        twilio_status,
        "delivered",
        204,
    ),
]


def reply_to(services, phone: str) -> Message:
    with services.db.session() as s:
        return s.scalars(
            select(Message)
            .where(Message.direction == "out", Message.phone == phone)
            .order_by(Message.id.desc())
        ).first()


def sent_id(fake, phone: str) -> str:
    return [m for m in fake.sent if m["to"] == phone][-1]["id"]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_an_unknown_status_is_acknowledged_and_keeps_the_state(
    provider, client, services, sms_jobs, fake_at, fake_twilio, caplog
):
    fakes = {"africastalking": fake_at, "twilio": fake_twilio}
    assert provider.ask(client, PHONE, "INFO").status_code == 200
    sms_jobs.run()
    message_id = sent_id(fakes[provider.name], PHONE)
    assert provider.report(client, message_id, provider.delivered).status_code == provider.answer
    assert reply_to(services, PHONE).status == "delivered"

    word = f"Rerouted{provider.name.title()}"  # a value this process has not seen before
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # the provider may report it more than once
            assert provider.report(client, message_id, word).status_code == provider.answer
    row = reply_to(services, PHONE)
    assert (row.status, row.provider_status) == ("delivered", word)
    warnings = [r for r in caplog.records if word in r.getMessage()]
    assert len(warnings) == 1 and "unknown" in warnings[0].getMessage()

    with caplog.at_level(logging.WARNING):
        other = word + "Again"
        assert provider.report(client, message_id, other).status_code == provider.answer
    assert [r for r in caplog.records if other in r.getMessage()]
    assert reply_to(services, PHONE).provider_status == other


def test_an_unknown_status_leaves_a_sent_message_sent(client, services, sms_jobs, fake_at):
    """Not delivered, not failed: what the provider said is on the row, nothing else moved."""
    at_sms(client, PHONE, "20880", "INFO")
    sms_jobs.run()
    assert at_delivery(client, sent_id(fake_at, PHONE), "Sent").status_code == 200
    assert at_delivery(client, sent_id(fake_at, PHONE), "Escalated").status_code == 200
    row = reply_to(services, PHONE)
    assert (row.status, row.provider_status, row.error) == ("sent", "Escalated", None)


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
