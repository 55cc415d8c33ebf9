"""PIN tries on real Redis and the database: counted before they are checked, so a crowd of
guesses gets no more checks than the limits; the reporter's own phone is never locked out; an
unknown reference takes as long as a real one and leaves nothing in the database."""

from __future__ import annotations

import statistics
import threading
import time

from sqlalchemy import func, select

from casebridge import audit, casestatus, pins, refs
from casebridge.casestatus import (
    MAX_TRIES,
    MAX_TRIES_PER_PHONE,
    MAX_TRIES_PER_REFERENCE,
    CaseStatus,
)
from casebridge.models import Case, CaseEvent
from casebridge.reports import Report
from gateway.pin_tries import RedisPinTries
from gateway.submit import submit_report

REPORTER = "+6281234567891"
GUESSER = "+6285712345678"


def _case(services, jobs, phone: str = REPORTER) -> tuple[str, str]:
    report = Report(reporter_phone=phone, category="other", channel="sms")
    receipt = submit_report(services, f"test:{refs.generate()}", report)
    jobs.run()
    return receipt.reference, receipt.pin


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10000:04d}"


def _find(services, reference: str, pin: str | None, phone: str):
    with services.db.session() as session:
        return casestatus.find(
            session,
            reference,
            pin,
            phone,
            RedisPinTries(services.redis, services.settings.data_keys),
            "ussd",
            services.settings.secret_key,
        )


def _trail(services, reference: str) -> list[tuple[str, str, str]]:
    """(kind, actor, outcome) of the case's lookups, oldest first."""
    with services.db.session() as session:
        events = session.scalars(
            select(CaseEvent)
            .join(Case, Case.id == CaseEvent.case_id)
            .where(Case.reference == reference, CaseEvent.kind.in_(audit.AUDIT_KINDS))
            .order_by(CaseEvent.id)
        )
        return [(e.kind, e.actor, (e.data or {}).get("outcome")) for e in events]


def test_sixty_guesses_at_once_get_at_most_the_limit_checked(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    start = threading.Barrier(60)
    answers: list = []

    def guess(n: int) -> None:
        start.wait()
        answers.append(_find(services, reference, f"{(int(pin) + 1 + n) % 10000:04d}", GUESSER))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count("locked") == 60 - MAX_TRIES
    checked = [a for a in answers if a != "locked"]
    assert checked == [None] * MAX_TRIES
    assert _find(services, reference, pin, GUESSER) == "locked"  # even the right PIN now
    trail = _trail(services, reference)
    assert trail.count((audit.PIN_REFUSED, "pin:ussd", audit.WRONG_PIN)) == MAX_TRIES
    assert trail.count((audit.PIN_REFUSED, "pin:ussd", audit.LOCKED)) == 60 - MAX_TRIES + 1


def test_a_reference_is_locked_for_every_phone_after_its_limit(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    for n in range(MAX_TRIES_PER_REFERENCE):
        assert _find(services, reference, _wrong(pin), f"+628571234{n:04d}") is None
    assert _find(services, reference, pin, "+6285799990000") == "locked"


def test_a_phone_is_locked_on_every_reference_after_its_limit(services, jobs, orgs):
    """Unknown references are counted too: walking through references gets nowhere."""
    reference, pin = _case(services, jobs)
    for _ in range(MAX_TRIES_PER_PHONE):
        assert _find(services, refs.generate(), "1234", GUESSER) is None
    assert _find(services, reference, pin, GUESSER) == "locked"
    assert _shows(_find(services, reference, pin, "+6285799990000"), reference)


def test_the_reporters_own_phone_is_never_locked_out(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    for n in range(MAX_TRIES_PER_REFERENCE + 2):
        _find(services, reference, _wrong(pin), f"+628571234{n:04d}")
    for _ in range(MAX_TRIES_PER_PHONE + 2):
        _find(services, refs.generate(), "1234", REPORTER)
    assert _shows(_find(services, reference, None, REPORTER), reference)
    assert _shows(_find(services, reference, _wrong(pin), REPORTER), reference)
    assert _trail(services, reference)[-1] == (audit.READ, "reporter:ussd", audit.OWN_PHONE)


def test_a_reference_alone_from_another_phone_is_neither_counted_nor_shown(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    for _ in range(MAX_TRIES + 1):
        assert _find(services, reference, None, GUESSER) is None
    assert _shows(_find(services, reference, pin, GUESSER), reference)
    assert _trail(services, reference) == [(audit.READ, "pin:ussd", audit.RIGHT_PIN)]


def test_an_unknown_reference_takes_the_time_of_a_real_one(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    key = services.settings.secret_key
    stored = pins.hash_pin(pin, key)
    hashing = min(_timed(lambda: pins.verify(_wrong(pin), stored, key)) for _ in range(5))
    known = [
        _timed(lambda n=n: _find(services, reference, _wrong(pin), f"+628571234{n:04d}"))
        for n in range(MAX_TRIES_PER_REFERENCE)
    ]
    unknown = [
        _timed(lambda n=n: _find(services, refs.generate(), "1234", f"+628571235{n:04d}"))
        for n in range(MAX_TRIES_PER_REFERENCE)
    ]
    assert min(known) >= hashing * 0.8 and min(unknown) >= hashing * 0.8
    assert 0.5 < statistics.median(unknown) / statistics.median(known) < 2


def test_an_unknown_reference_writes_nothing(services, jobs, orgs):
    _case(services, jobs)
    with services.db.session() as session:
        before = session.scalar(select(func.count()).select_from(CaseEvent))
    assert _find(services, refs.generate(), "1234", GUESSER) is None
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == before


def test_without_redis_no_pin_is_checked(services, jobs, orgs):
    reference, pin = _case(services, jobs)
    services.redis.set(f"pin-try:ref:{reference}", "not a number")  # INCR fails in Redis
    assert _find(services, reference, pin, GUESSER) == "locked"
    assert _shows(_find(services, reference, None, REPORTER), reference)


def _shows(found, reference: str) -> bool:
    return isinstance(found, CaseStatus) and found.reference == reference


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began
