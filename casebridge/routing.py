"""Routing as data: which organisation should handle a case, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import places
from .models import Case, Organisation
from .status import OPEN_STATUSES


@dataclass(frozen=True)
class CaseFacts:
    """What routing looks at."""

    category: str | None
    country: str | None
    province: str | None
    regency: str | None


@dataclass(frozen=True)
class Decision:
    organisation: Organisation | None
    reason: str


def covers(org: Organisation, facts: CaseFacts) -> bool:
    """An organisation covers a case when every dimension it lists includes the case's value
    (a dimension it leaves empty means "any")."""
    checks = (
        (org.covers_categories, facts.category, lambda listed, v: v in listed),
        (org.covers_countries, facts.country, lambda listed, v: v in listed),
        (org.covers_provinces, facts.province, lambda listed, v: v in listed),
        (
            org.covers_regencies,
            facts.regency,
            lambda listed, v: any(places.same_regency(r, v) for r in listed),
        ),
    )
    for listed, value, match in checks:
        if listed and (value is None or not match(listed, value)):
            return False
    return True


def _specificity(org: Organisation, facts: CaseFacts) -> tuple[int, int, int, int]:
    """Which dimensions the organisation matched explicitly, most important first."""
    return (
        int(bool(org.covers_regencies) and facts.regency is not None),
        int(bool(org.covers_provinces) and facts.province is not None),
        int(bool(org.covers_countries) and facts.country is not None),
        int(bool(org.covers_categories) and facts.category is not None),
    )


def open_case_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Case.organisation_id, func.count())
        .where(Case.status.in_(OPEN_STATUSES), Case.organisation_id.is_not(None))
        .group_by(Case.organisation_id)
    )
    return {org_id: count for org_id, count in rows}


def candidates(
    session: Session, facts: CaseFacts, exclude: Iterable[int] = (), selectable_only: bool = False
) -> list[Organisation]:
    """Active, non-coordinator organisations covering the case, best first."""
    excluded = set(exclude)
    orgs = [
        o
        for o in session.scalars(select(Organisation).where(Organisation.active.is_(True)))
        if not o.is_coordinator and o.id not in excluded and covers(o, facts)
    ]
    if selectable_only:
        orgs = [o for o in orgs if o.selectable]
    load = open_case_counts(session)
    orgs.sort(key=lambda o: (tuple(-x for x in _specificity(o, facts)), load.get(o.id, 0), o.code))
    return orgs


def coordinator(session: Session) -> Organisation | None:
    return session.scalars(
        select(Organisation)
        .where(Organisation.kind == "coordinator", Organisation.active.is_(True))
        .order_by(Organisation.id)
    ).first()


def route(
    session: Session,
    facts: CaseFacts,
    preferred: Organisation | None = None,
    exclude: Iterable[int] = (),
) -> Decision:
    """The reporter's choice when allowed, else the best match, else the coordinator."""
    excluded = set(exclude)
    if preferred is not None:
        if (
            preferred.active
            and preferred.selectable
            and preferred.id not in excluded
            and covers(preferred, facts)
        ):
            return Decision(preferred, f"chosen by the reporter ({preferred.code})")
        note = f"reporter chose {preferred.code}, which does not take this case; "
    else:
        note = ""
    best = candidates(session, facts, excluded)
    if best:
        org = best[0]
        matched = [
            label
            for label, hit in zip(
                ("regency", "province", "country", "category"),
                _specificity(org, facts),
                strict=True,
            )
            if hit
        ]
        load = open_case_counts(session).get(org.id, 0)
        why = ", ".join(matched) if matched else "covers everything"
        return Decision(org, f"{note}best match on {why}; {load} open cases")
    coord = coordinator(session)
    return Decision(coord, f"{note}no organisation covers this case; sent to the coordinator")
