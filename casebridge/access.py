"""Which cases a caller may see: every list, count, read and export starts here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from . import refs
from .models import Case, Organisation, Referral, Worker
from .referrals import pending_to


@dataclass(frozen=True)
class Filters:
    """Narrowing a caller's cases (each None means "any"); `until` is exclusive."""

    status: str | None = None
    category: str | None = None
    country: str | None = None
    province: str | None = None
    organisation: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def visible_cases(
    org: Organisation, filters: Filters | None = None, filed: bool = False
) -> Select[tuple[Case]]:
    """A coordinator sees every case; any other organisation the cases assigned to it and the
    cases referred to it that it has not decided on yet (the reporter consented to that).
    With `filed`, also the desk reports it recorded for someone and that went elsewhere: it
    follows their status and timeline (`filer_only`), to keep the family informed."""
    query = select(Case)
    if not org.is_coordinator:
        mine = [Case.organisation_id == org.id, Case.id.in_(pending_to(org))]
        if filed:
            mine.append(Case.filed_by_organisation_id == org.id)
        query = query.where(or_(*mine))
    return narrow(query, filters) if filters is not None else query


def filer_only(session: Session, case: Case, org: Organisation) -> bool:
    """True when `org` sees the case only because it filed it: it reads the status and the
    timeline without other organisations' internal notes, and may not act."""
    if org.is_coordinator or case.organisation_id == org.id:
        return False
    pending = session.scalar(select(pending_to(org).where(Referral.case_id == case.id).exists()))
    return not pending and case.filed_by_organisation_id == org.id


def all_cases(filters: Filters | None = None) -> Select[tuple[Case]]:
    """Every case: for the console (`pengaduan export` without `--org`), never for a caller
    of the API."""
    query = select(Case)
    return narrow(query, filters) if filters is not None else query


def narrow(query: Select[tuple[Case]], filters: Filters) -> Select[tuple[Case]]:
    """Apply the filters to a select of cases."""
    f = filters
    if f.status:
        query = query.where(Case.status == f.status)
    if f.category:
        query = query.where(Case.category == f.category)
    if f.country or f.province:
        worker_ids = select(Worker.id)
        if f.country:
            worker_ids = worker_ids.where(Worker.country == f.country)
        if f.province:
            worker_ids = worker_ids.where(Worker.province == f.province)
        query = query.where(Case.worker_id.in_(worker_ids))
    if f.organisation:
        org_ids = select(Organisation.id).where(Organisation.code == f.organisation)
        query = query.where(Case.organisation_id.in_(org_ids))
    if f.since:
        query = query.where(Case.created_at >= f.since)
    if f.until:
        query = query.where(Case.created_at < f.until)
    return query


def get_case(
    session: Session, org: Organisation, reference: str, lock: bool = False
) -> Case | None:
    """The case if it exists and the caller may see it; None otherwise (the two look alike).
    With `lock`, the row is locked until the transaction ends (before changing the case)."""
    digits = refs.normalise(reference)
    if digits is None:
        return None
    query = visible_cases(org, filed=True).where(Case.reference == digits)
    return session.scalar(query.with_for_update(of=Case) if lock else query)
