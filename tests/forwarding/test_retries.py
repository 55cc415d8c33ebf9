"""A webhook the organisation's system does not accept is retried with backoff for a day;
every attempt is on the case timeline."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from casebridge.forwarding.delivery import RETRY_DELAYS
from casebridge.models import Forward, utcnow
from tests.forwarding.cases import file_case, load_case


def webhook_row(services) -> Forward:
    with services.db.session() as s:
        return s.scalars(select(Forward).where(Forward.channel == "webhook")).one()


def later(seconds: float):
    return time_machine.travel(utcnow() + timedelta(seconds=seconds), tick=True)


def attempt_notes(services, ref) -> list[str]:
    with services.db.session() as s:
        case = load_case(s, ref)
        return [e.note for e in case.events if e.kind.startswith("forward") and "webhook" in e.note]


def test_failed_webhook_is_retried_with_backoff_until_accepted(services, jobs, hooked):
    hooked.fail_next(2, status=503)
    ref = file_case(services, jobs)
    assert hooked.received == [] and webhook_row(services).status == "retrying"

    jobs.tick()
    jobs.run()
    assert webhook_row(services).attempts == 1  # not due yet: no hammering

    with later(RETRY_DELAYS[0] + 1):
        jobs.tick()
        jobs.run()
        assert webhook_row(services).attempts == 2 and hooked.received == []
        with later(RETRY_DELAYS[1] + 1):
            jobs.tick()
            jobs.run()

    row = webhook_row(services)
    assert row.status == "delivered" and row.attempts == 3
    assert len(hooked.received) == 1 and hooked.received[0]["event"] == "case.assigned"
    assert attempt_notes(services, ref) == [
        "webhook case.assigned to SBMI-BWI, attempt 1: HTTP 503; next attempt in 30 s",
        "webhook case.assigned to SBMI-BWI, attempt 2: HTTP 503; next attempt in 2 min",
        "webhook case.assigned to SBMI-BWI, attempt 3: HTTP 202",
    ]


def test_webhook_gives_up_after_a_day_and_says_so(services, jobs, hooked):
    hooked.fail_next(len(RETRY_DELAYS) + 5, status=500)
    ref = file_case(services, jobs)
    elapsed = 0
    for delay in RETRY_DELAYS:
        elapsed += delay + 1
        with later(elapsed):
            jobs.tick()
            jobs.run()
    assert 23 * 3600 < elapsed < 25 * 3600
    row = webhook_row(services)
    assert row.status == "failed" and row.attempts == len(RETRY_DELAYS) + 1
    notes = attempt_notes(services, ref)
    assert len(notes) == len(RETRY_DELAYS) + 1
    assert notes[-1].endswith(f"HTTP 500; gave up after {len(RETRY_DELAYS) + 1} attempts")
    with services.db.session() as s:
        kinds = [e.kind for e in load_case(s, ref).events]
    assert kinds.count("forward_failed") == 1


def test_unreachable_system_counts_as_a_failed_attempt(services, jobs, orgs):
    from tests.forwarding.cases import set_channels

    set_channels(
        services,
        "SBMI-BWI",
        webhook_url="http://127.0.0.1:9/hooks",
        webhook_secret="a-secret-of-enough-length",
    )
    ref = file_case(services, jobs)
    assert webhook_row(services).status == "retrying"
    assert attempt_notes(services, ref) == [
        "webhook case.assigned to SBMI-BWI, attempt 1: no answer (ConnectionError);"
        " next attempt in 30 s"
    ]
