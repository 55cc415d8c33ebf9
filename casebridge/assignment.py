"""Giving a case to an organisation: the one way a case becomes `assigned`, by routing a new
case, re-routing after a decline, or an accepted referral. It sets the organisation, writes the
transition, schedules the forwards that tell the organisation, and starts its deadline again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .forwarding.schedule import schedule
from .models import Case, CaseEvent, Organisation
from .timeline import transition


def assign(
    session: Session, case: Case, org: Organisation | None, actor: str, note: str
) -> CaseEvent:
    """Assign the case to `org` (None: nobody could be found); raises TransitionError and
    changes nothing when the case may not move to `assigned` now."""
    event = transition(
        session, case, "assigned", actor, note, organisation_id=org.id if org else None
    )
    if case.organisation_id != (org.id if org else None):
        case.assignee_id = None  # the person worked for the organisation it leaves
    case.organisation = org
    case.organisation_id = org.id if org else None
    case.overdue = False
    case.reminded_at = None
    case.escalated_at = None
    schedule(session, case, org, "case.assigned")
    return event
