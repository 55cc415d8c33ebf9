"""Deadlines to accept a case: after an organisation's `sla_hours` it is reminded; after twice
that the case is marked overdue, the coordinator is alerted and the reporter hears, once, that
the case is still being handled. A case is never moved silently: people decide that."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, select, update
from sqlalchemy.orm import Session

from . import refs, texts
from .forwarding.schedule import schedule
from .models import Case, Message, Organisation, utcnow
from .outbox import queue_to_reporter
from .routing import coordinator
from .timeline import record

ACTOR = "system:sla"
STILL_HANDLING = "still_handling"
"""Purpose (and text key) of the one neutral message a reporter gets about an overdue case."""


@dataclass
class Checked:
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    message_ids: list[int] = field(default_factory=list)


def accept_by(case: Case, org: Organisation, offered_at: datetime | None = None) -> datetime | None:
    """When `org` should have accepted the case: `sla_hours` after it was assigned to it (or,
    for a referral, after `offered_at`); None when it is not waiting on `org`."""
    if offered_at is not None:
        return offered_at + timedelta(hours=org.sla_hours)
    if case.status != "assigned" or case.organisation_id != org.id or case.assigned_at is None:
        return None
    return case.assigned_at + timedelta(hours=org.sla_hours)


def _waiting(org: Organisation, older_than: datetime, stamp) -> Select[tuple[Case]]:
    return select(Case).where(
        Case.organisation_id == org.id,
        Case.status == "assigned",
        Case.assigned_at <= older_than,
        stamp.is_(None),
    )


def _claim(session: Session, case: Case, stamp, now: datetime, **values) -> bool:
    """Set a deadline stamp once, even when two checks race."""
    result = session.execute(
        update(Case)
        .where(Case.id == case.id, stamp.is_(None), Case.status == "assigned")
        .values({stamp.key: now, **values})
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    session.refresh(case)
    return True


def _key(case: Case, what: str) -> str:
    return f"{what}:{case.id}:{int(case.assigned_at.timestamp())}"


def remind(session: Session, case: Case, org: Organisation, now: datetime) -> bool:
    if not _claim(session, case, Case.reminded_at, now):
        return False
    record(
        session,
        case,
        "sla_reminder",
        ACTOR,
        f"not accepted by {org.code} within {org.sla_hours} hours; reminder sent",
        organisation_id=org.id,
    )
    key, hours = _key(case, "reminder"), org.sla_hours
    schedule(session, case, org, "case.reminder", key=key, data={"hours": hours})
    return True


def escalate(
    session: Session, case: Case, org: Organisation, now: datetime, sms_provider: str
) -> Message | None | bool:
    """Mark overdue, alert the coordinator, tell the reporter once; False if done already."""
    if not _claim(session, case, Case.escalated_at, now, overdue=True):
        return False
    hours = 2 * org.sla_hours
    coord = coordinator(session)
    record(
        session,
        case,
        "sla_escalated",
        ACTOR,
        f"not accepted by {org.code} within {hours} hours; marked overdue, "
        + (f"coordinator {coord.code} alerted" if coord else "no coordinator to alert"),
        organisation_id=org.id,
    )
    key = _key(case, "escalated")
    schedule(session, case, coord, "case.escalated", key=key, data={"hours": hours})
    told = session.scalar(
        select(exists().where(Message.case_id == case.id, Message.purpose == STILL_HANDLING))
    )
    if told:
        return None
    lang = case.reporter.language or case.language
    body = texts.render(STILL_HANDLING, lang, ref=refs.format_ref(case.reference))
    return queue_to_reporter(session, case, body, STILL_HANDLING, sms_provider)


def check(
    session: Session, sms_provider: str, now: datetime | None = None, limit: int = 500
) -> Checked:
    """Remind and escalate every case whose deadline passed; safe to run at any time, twice."""
    now = now or utcnow()
    done = Checked()
    for org in session.scalars(select(Organisation).order_by(Organisation.id)):
        sla = timedelta(hours=org.sla_hours)
        for case in session.scalars(_waiting(org, now - sla, Case.reminded_at).limit(limit)).all():
            if remind(session, case, org, now):
                done.reminded.append(case.id)
        for case in session.scalars(
            _waiting(org, now - 2 * sla, Case.escalated_at).limit(limit)
        ).all():
            outcome = escalate(session, case, org, now, sms_provider)
            if outcome is not False:
                done.escalated.append(case.id)
            if isinstance(outcome, Message):
                done.message_ids.append(outcome.id)
    return done
