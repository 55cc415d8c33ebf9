"""Cases for an export, read in batches so that memory stays constant however many there are.

Each batch is read in its own short session, recorded as read in the cases' audit trail, then
turned into the shared case view (`casebridge.caseview`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import access, audit, caseview, referrals
from ..db import Database
from ..models import Case, Organisation

BATCH = 500

CASE_FIELDS = (  # a case's own fields, in the order every format writes them
    "status",
    "overdue",
    "category",
    "channel",
    "organisation",
    "created_at",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "closed_at",
    "description",
    "language",
    "consent_to_share",
    "recording_url",
)


@dataclass(frozen=True)
class Request:
    """Whose cases to export: `organisation` None is the console (every case)."""

    organisation: str | None
    filters: access.Filters
    full_phones: bool = False
    """Asked for full phone numbers (shown only where `caseview.may_reveal` allows)."""
    via: str = "api"
    """Who reads, for the audit trail: `api` (the organisation's key) or `cli` (the console)."""
    what: str = "export"


def _org(session: Session, code: str | None) -> Organisation | None:
    if code is None:
        return None
    return session.scalars(select(Organisation).where(Organisation.code == code)).one()


def _query(org: Organisation | None, filters: access.Filters) -> Select[tuple[Case]]:
    """The cases to export: what the caller may see, training cases left out."""
    query = access.visible_cases(org, filters) if org else access.all_cases(filters)
    return query.where(Case.training.is_(False))


def count(db: Database, request: Request) -> int:
    with db.session() as session:
        query = _query(_org(session, request.organisation), request.filters)
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def cases(db: Database, request: Request, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """The case views, oldest first, one batch of `batch` cases in memory at a time."""
    after = 0
    while True:
        with db.session() as session:
            org = _org(session, request.organisation)
            rows = list(
                session.scalars(
                    _query(org, request.filters)
                    .where(Case.id > after)
                    .order_by(Case.id)
                    .limit(batch)
                    .options(
                        joinedload(Case.reporter),
                        joinedload(Case.worker),
                        joinedload(Case.organisation),
                        selectinload(Case.events),
                        selectinload(Case.parties),
                        selectinload(Case.attachments),
                    )
                )
                .unique()
                .all()
            )
            if not rows:
                return
            shared = referrals.for_cases(session, [c.id for c in rows])
            reader = org if request.via == "api" else None
            audit.read_many(session, [c.id for c in rows], reader, request.what, request.via)
            views = [
                caseview.full(
                    c, shared.get(c.id), request.full_phones and caseview.may_reveal(c, org)
                )
                for c in rows
            ]
            after = rows[-1].id
        yield from views
        if len(rows) < batch:
            return
