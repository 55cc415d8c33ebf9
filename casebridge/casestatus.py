"""What a reporter may learn about a case on any channel (USSD, voice, SMS): its reference,
status and the handling organisation's public name, never the problem.

A case is found by the reporter's own phone (never asked for a PIN, never locked out), or by
reference and PIN. A PIN is checked only after its try was counted (`PinTries`, where the
channel keeps short-lived state), so however many tries arrive at once no more than the limits
are checked: per phone and reference, per reference from all phones, per phone on all
references. A wrong PIN looks exactly like an unknown reference, and takes as long: an unknown
reference is counted and checked against a hash of no case. Every lookup of a case is on its
audit trail (`casebridge.audit.lookup`); an unknown reference has no case to write to."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, pins, refs
from .models import Case, Reporter
from .models.encrypted import matches
from .notify import public_name

MAX_TRIES = 5
"""PIN tries of one phone on one reference."""
MAX_TRIES_PER_REFERENCE = 10
"""PIN tries on one reference, from all phones together."""
MAX_TRIES_PER_PHONE = 10
"""PIN tries of one phone, on all references together."""
LOCK_SECONDS = 3600
PIN_ANSWER_SECONDS = 0.02
"""Every PIN check answers after at least this long, so that its time does not tell whether
the reference exists (a real case's check also writes its audit row)."""
"""Tries are counted for this long from the first one."""


@dataclass(frozen=True)
class CaseStatus:
    """A case as a status screen, a voice prompt or a status SMS may give it."""

    reference: str
    """8 digits; `casebridge.refs.format_ref` shows it to people."""
    status: str
    organisation: str | None = None
    """The public name only (never one that names the problem, never the coordinator)."""


class PinTries(Protocol):
    """PIN tries, counted before each is checked and forgotten after `LOCK_SECONDS`."""

    def take(self, reference: str, phone: str) -> bool:
        """Count one try of `phone` on `reference`; True only while every limit
        (`MAX_TRIES`, `MAX_TRIES_PER_REFERENCE`, `MAX_TRIES_PER_PHONE`) holds it. False also
        when the try cannot be counted: a PIN is never checked uncounted."""
        ...


@cache
def _no_case_hash(secret_key: str) -> str:
    """The hash an unknown reference's PIN is checked against: as slow as a case's."""
    return pins.hash_pin(pins.new_seed(), secret_key)


def of(case: Case) -> CaseStatus:
    return CaseStatus(case.reference, case.status, public_name(case.organisation))


def for_phone(session: Session, phone: str, channel: str, limit: int = 5) -> list[CaseStatus]:
    """The cases reported from this phone, most recent first; each read is audited."""
    rows = session.scalars(
        select(Case)
        .join(Reporter, Reporter.id == Case.reporter_id)
        .where(matches(session, Reporter.phone_index, phone))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    ).all()
    for case in rows:
        audit.lookup(session, case, channel, audit.OWN_PHONE, phone)
    return [of(c) for c in rows]


def find(
    session: Session,
    reference: str,
    pin: str | None,
    phone: str,
    tries: PinTries,
    channel: str,
    secret_key: str,
) -> CaseStatus | None | Literal["locked"]:
    """The case if `phone` reported it, or the PIN is right; None if not found, the PIN is
    wrong (indistinguishable), or no PIN was given yet; "locked" once a limit of tries is
    reached. `channel` (ussd, voice, sms) is written to the case's audit trail; `secret_key`
    keys the PIN hashes (`casebridge.pins`)."""
    started = time.perf_counter()
    digits = refs.normalise(reference)
    if digits is None or not refs.is_valid(digits):
        return None
    row = session.execute(
        select(Case, Reporter.phone)
        .join(Reporter, Reporter.id == Case.reporter_id)
        .where(Case.reference == digits)
    ).first()
    case, owner = row if row is not None else (None, None)
    if case is not None and owner == phone:
        audit.lookup(session, case, channel, audit.OWN_PHONE, phone)
        return of(case)
    if pin is None:
        return None  # the PIN is asked next; nothing is checked, nothing counted
    if not tries.take(digits, phone):
        if case is not None:
            audit.lookup(session, case, channel, audit.LOCKED, phone)
        _pad(session, started)
        return "locked"
    stored = case.pin_hash if case is not None else _no_case_hash(secret_key)
    right = pins.verify(pin, stored, secret_key)
    if case is not None:
        audit.lookup(session, case, channel, audit.RIGHT_PIN if right else audit.WRONG_PIN, phone)
    _pad(session, started)
    return of(case) if case is not None and right else None


def _pad(session: Session, started: float) -> None:
    """Answer a PIN check after the same time whether the reference exists or not: the audit
    row of a real case is written first, then the answer waits out `PIN_ANSWER_SECONDS`."""
    session.flush()
    left = PIN_ANSWER_SECONDS - (time.perf_counter() - started)
    if left > 0:
        time.sleep(left)
