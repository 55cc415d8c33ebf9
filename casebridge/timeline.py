"""Changing a case always writes its timeline: the one place that does both."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .models import Case, CaseEvent, utcnow
from .status import check_move

_STAMPS = {
    "assigned": "assigned_at",
    "accepted": "accepted_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
}


def record(
    session: Session,
    case: Case,
    kind: str,
    actor: str,
    note: str | None = None,
    organisation_id: int | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Add one event to the case's timeline (also used for reads, the audit trail)."""
    event = CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        note=note,
        organisation_id=organisation_id,
        data=data,
        at=utcnow(),
    )
    session.add(event)
    return event


def transition(
    session: Session,
    case: Case,
    to: str,
    actor: str,
    note: str | None = None,
    organisation_id: int | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Move the case to a new status; raises TransitionError and changes nothing if refused."""
    check_move(case.status, to)
    event = record(session, case, "status", actor, note, organisation_id, data)
    event.from_status, event.to_status = case.status, to
    case.status = to
    stamp = _STAMPS.get(to)
    if stamp:
        setattr(case, stamp, event.at)
    if to == "accepted":
        case.overdue = False
    return event
