"""Status lookups for reporters (USSD, voice, SMS): by their own phone, or reference + PIN.

Answers are neutral (a reference, a status, an organisation's name) and a wrong PIN looks
exactly like an unknown reference; too many wrong PINs lock the reference for an hour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from casebridge import pins, refs
from casebridge.models import Case, Reporter
from casebridge.notify import public_name

from .services import Services

MAX_PIN_FAILURES = 5
LOCK_SECONDS = 3600


@dataclass(frozen=True)
class CaseView:
    reference: str
    """8 digits; format with casebridge.refs.format_ref for people."""
    status: str
    organisation: str | None


def _view(case: Case) -> CaseView:
    """Neutral: the organisation's public name only (never one that names the problem)."""
    return CaseView(case.reference, case.status, public_name(case.organisation))


def cases_for_phone(services: Services, phone: str, limit: int = 5) -> list[CaseView]:
    """The cases reported from this phone, most recent first."""
    with services.db.session() as session:
        rows = session.scalars(
            select(Case)
            .join(Reporter, Reporter.id == Case.reporter_id)
            .where(Reporter.phone == phone)
            .order_by(Case.created_at.desc(), Case.id.desc())
            .limit(limit)
        ).all()
        return [_view(c) for c in rows]


def _fail_key(reference: str) -> str:
    return f"pin-fail:{reference}"


def lookup(
    services: Services, reference: str, pin: str | None, phone: str
) -> CaseView | None | Literal["locked"]:
    """The case if the phone reported it, or the PIN is right; None if not found or wrong PIN
    (indistinguishable); "locked" after too many wrong PINs for this reference."""
    digits = refs.normalise(reference)
    if digits is None or not refs.is_valid(digits):
        return None
    try:
        failures = int(services.redis.get(_fail_key(digits)) or 0)
    except Exception:
        failures = 0
    with services.db.session() as session:
        case = session.scalar(select(Case).where(Case.reference == digits))
        if case is not None and case.reporter.phone == phone:
            return _view(case)
        if failures >= MAX_PIN_FAILURES:
            return "locked"
        if pin is None:
            return None
        if case is not None and pins.verify(pin, case.pin_hash):
            return _view(case)
    try:
        pipe = services.redis.pipeline()
        pipe.incr(_fail_key(digits))
        pipe.expire(_fail_key(digits), LOCK_SECONDS)
        pipe.execute()
    except Exception:  # noqa: S110 - without Redis the lock is simply not counted
        pass
    return None
