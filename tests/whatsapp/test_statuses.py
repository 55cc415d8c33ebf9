"""A failed WhatsApp status lands on the case's timeline with Meta's code; a rate limit is
sent again."""

from __future__ import annotations

from fakes import meta_webhooks
from sqlalchemy import select

from casebridge.models import Message

from .helpers import PHONE, events, report


def test_a_failed_status_is_on_the_timeline(client, services, sms_jobs, orgs, fake_graph, clock):
    ref = report(client, sms_jobs, clock)
    confirmation = fake_graph.sent[-1]
    value = meta_webhooks.status(confirmation["id"], PHONE, "failed", code=131026)
    assert meta_webhooks.post(client, value).status_code == 200
    failed = [note for kind, note in events(services, ref) if kind == "message_failed"]
    assert len(failed) == 1 and "WhatsApp 131026" in failed[0] and "confirmation" in failed[0]
    with services.db.session() as session:
        row = session.scalars(
            select(Message).where(Message.provider_message_id == confirmation["id"])
        ).one()
        assert (row.status, row.provider_status) == ("failed", "failed")


def test_a_refused_send_is_retried_or_failed(client, services, sms_jobs, orgs, fake_graph, clock):
    fake_graph.errors[PHONE.lstrip("+")] = 130429
    meta_webhooks.post(client, meta_webhooks.text(PHONE, "INFO"))
    sms_jobs.run()
    with services.db.session() as session:
        row = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert row.status == "retrying" and "130429" in row.error
    fake_graph.errors[PHONE.lstrip("+")] = 131026
    clock.shift(60)
    sms_jobs.tick()
    sms_jobs.run()
    with services.db.session() as session:
        row = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert row.status == "failed" and "131026" in row.error
