"""A whole report by WhatsApp, and reading what the fake Graph API was sent."""

from __future__ import annotations

import re

from fakes import meta_webhooks
from fakes.graph_api import shown
from sqlalchemy import select

from casebridge.models import Case, Reporter
from casebridge.models.encrypted import matches

PHONE = "+60129876543"
CASEWORKER = "+6289900000002"
"""SBMI-BWI's caseworker in the demo directory (Banyuwangi cases)."""


STEP = 30
"""Seconds between two messages of a person (as the scenario runner's clock moves)."""


def say(client, jobs, value: dict, clock) -> None:
    """Post a signed message `STEP` seconds after the last, then run the jobs."""
    clock.shift(STEP)
    answer = meta_webhooks.post(client, value)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    jobs.run()


def texts_to(graph, phone: str = PHONE) -> list[str]:
    return [shown(m) for m in graph.sent if "+" + m["to"] == phone]


def report(client, jobs, clock, phone: str = PHONE, safe: bool = True) -> str:
    """Report unpaid wages in Malaysia from `phone`; returns the case reference."""
    steps = [
        meta_webhooks.text(phone, "LAPOR gaji saya belum dibayar 3 bulan di Malaysia"),
        meta_webhooks.reply(phone, "1", "Diri sendiri", "list_reply"),
        meta_webhooks.text(phone, "Wati"),
        meta_webhooks.reply(phone, "1", "Perempuan", "list_reply"),
        meta_webhooks.text(phone, "Banyuwangi"),
        meta_webhooks.reply(phone, "1" if safe else "2", "Ya, aman" if safe else "Tidak aman"),
    ]
    for value in steps:
        say(client, jobs, value, clock)
    return reference(jobs.services, phone)


def reference(services, phone: str = PHONE) -> str:
    with services.db.session() as session:
        case = session.scalars(
            select(Case)
            .where(Case.reporter.has(matches(session, Reporter.phone_index, phone)))
            .order_by(Case.id.desc())
        ).first()
        assert case is not None, "no case was made"
        ref = case.reference
    return f"{ref[:4]}-{ref[4:]}"


def events(services, ref: str) -> list[tuple[str, str]]:
    with services.db.session() as session:
        case = session.scalars(select(Case).where(Case.reference == ref.replace("-", ""))).one()
        return [(e.kind, e.note or "") for e in case.events]


def captured(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    assert found, (pattern, text)
    return found.group(1)
