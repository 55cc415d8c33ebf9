"""What a reporter may learn about a case on any channel (USSD, voice, SMS): its reference,
status and the handling organisation's public name, never the problem.

A case is found by the reporter's own phone, or by reference and PIN. A wrong PIN looks
exactly like an unknown reference, and too many wrong PINs lock the reference for an hour
(counted where the channel keeps short-lived state: `PinFailures`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import pins, refs
from .models import Case, Reporter
from .notify import public_name

MAX_PIN_FAILURES = 5
LOCK_SECONDS = 3600


@dataclass(frozen=True)
class CaseStatus:
    """A case as a status screen, a voice prompt or a status SMS may give it."""

    reference: str
    """8 digits; `casebridge.refs.format_ref` shows it to people."""
    status: str
    organisation: str | None = None
    """The public name only (never one that names the problem, never the coordinator)."""


class PinFailures(Protocol):
    """Wrong PINs per reference, forgotten after `LOCK_SECONDS`."""

    def count(self, reference: str) -> int: ...

    def add(self, reference: str) -> None: ...


def of(case: Case) -> CaseStatus:
    return CaseStatus(case.reference, case.status, public_name(case.organisation))


def for_phone(session: Session, phone: str, limit: int = 5) -> list[CaseStatus]:
    """The cases reported from this phone, most recent first."""
    rows = session.scalars(
        select(Case)
        .join(Reporter, Reporter.id == Case.reporter_id)
        .where(Reporter.phone == phone)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    ).all()
    return [of(c) for c in rows]


def find(
    session: Session,
    reference: str,
    pin: str | None,
    phone: str,
    failures: PinFailures,
    secret_key: str,
) -> CaseStatus | None | Literal["locked"]:
    """The case if `phone` reported it, or the PIN is right; None if not found or the PIN is
    wrong (indistinguishable); "locked" after too many wrong PINs for this reference.
    `secret_key` keys the PIN hashes (`casebridge.pins`)."""
    digits = refs.normalise(reference)
    if digits is None or not refs.is_valid(digits):
        return None
    case = session.scalar(select(Case).where(Case.reference == digits))
    if case is not None and case.reporter.phone == phone:
        return of(case)
    if failures.count(digits) >= MAX_PIN_FAILURES:
        return "locked"
    if pin is None:
        return None
    if case is not None and pins.verify(pin, case.pin_hash, secret_key):
        return of(case)
    failures.add(digits)
    return None
