"""Which cases a caller may see: every list, count, read and export starts here."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from . import refs
from .models import Case, Organisation


def visible_cases(org: Organisation) -> Select[tuple[Case]]:
    """A coordinator sees every case; any other organisation only the cases assigned to it."""
    query = select(Case)
    if not org.is_coordinator:
        query = query.where(Case.organisation_id == org.id)
    return query


def get_case(session: Session, org: Organisation, reference: str) -> Case | None:
    """The case if it exists and the caller may see it; None otherwise (the two look alike)."""
    digits = refs.normalise(reference)
    if digits is None:
        return None
    return session.scalar(visible_cases(org).where(Case.reference == digits))
