"""The audit trail: every read of a case is an event on it, with the reader's organisation.

Changes are already on the timeline (`casebridge.timeline`); reads are recorded here as events
of kind `read`, which case views leave out of the timeline they show."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from .models import Case, CaseEvent, Organisation, utcnow
from .timeline import record

READ = "read"
AUDIT_KINDS = frozenset({READ})
"""Event kinds that belong to the audit trail only, not to the timeline people read."""


def actor(org: Organisation | None, via: str = "api") -> str:
    """Who did it: `api:SBMI-BWI`, or `cli` for the console."""
    return f"{via}:{org.code}" if org is not None else via


def read(session: Session, case: Case, org: Organisation | None, what: str, via: str = "api"):
    """Record that `org` read the case (`what`: the route or command)."""
    return record(
        session, case, READ, actor(org, via), what, organisation_id=org.id if org else None
    )


def read_many(
    session: Session,
    case_ids: Iterable[int],
    org: Organisation | None,
    what: str,
    via: str = "api",
) -> int:
    """Record one read per case in a single statement (lists and exports); returns the count."""
    now = utcnow()
    who = actor(org, via)
    rows = [
        {
            "case_id": case_id,
            "at": now,
            "kind": READ,
            "actor": who,
            "organisation_id": org.id if org else None,
            "note": what,
        }
        for case_id in case_ids
    ]
    if rows:
        session.execute(insert(CaseEvent), rows)
    return len(rows)
