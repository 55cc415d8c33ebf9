"""Routing as data: which organisation should handle a case, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import places
from .models import Case, Organisation
from .origin import parse_origin
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


def _covers_besides_regency(org: Organisation, facts: CaseFacts) -> bool:
    checks = (
        (org.covers_categories, facts.category),
        (org.covers_countries, facts.country),
        (org.covers_provinces, facts.province),
    )
    return all(not listed or (value is not None and value in listed) for listed, value in checks)


def covers(org: Organisation, facts: CaseFacts) -> bool:
    """An organisation covers a case when every dimension it lists includes the case's value
    (a dimension it leaves empty means "any")."""
    if not _covers_besides_regency(org, facts):
        return False
    listed = org.covers_regencies
    return not listed or (
        facts.regency is not None and any(places.same_regency(r, facts.regency) for r in listed)
    )


@cache
def _province_of(regency: str) -> str | None:
    origin = parse_origin(regency)
    return origin.province.code if origin.province else None


def covered_part(org: Organisation, facts: CaseFacts) -> list[str]:
    """The regencies an organisation lists in the case's province when the case's regency is
    unknown (and the organisation takes the case on every other dimension)."""
    if facts.regency is not None or facts.province is None or not org.covers_regencies:
        return []
    if not _covers_besides_regency(org, facts):
        return []
    return [r for r in org.covers_regencies if _province_of(r) == facts.province]


def takes(org: Organisation, facts: CaseFacts) -> bool:
    """Whether the organisation may get the case: it covers it, or part of its province."""
    return covers(org, facts) or bool(covered_part(org, facts))


def _specificity(org: Organisation, facts: CaseFacts) -> tuple[int, int, int, int, int]:
    """Which dimensions the organisation matched explicitly, most important first; the third
    is 0 for one that covers only some regencies of the province (the regency unknown)."""
    part = bool(covered_part(org, facts))
    return (
        int(bool(org.covers_regencies) and facts.regency is not None),
        int((bool(org.covers_provinces) or part) and facts.province is not None),
        int(not part),
        int(bool(org.covers_countries) and facts.country is not None),
        int(bool(org.covers_categories) and facts.category is not None),
    )


def _why(org: Organisation, facts: CaseFacts) -> str:
    """The dimensions the organisation was chosen on, in words for the timeline."""
    regency, province, _, country, category = _specificity(org, facts)
    part = covered_part(org, facts)
    labels = [
        label
        for label, hit in zip(
            ("regency", "province", "country", "category"),
            (regency, province, country, category),
            strict=True,
        )
        if hit
    ]
    if part:
        names = ", ".join(part)
        labels[labels.index("province")] = (
            f"province (covers some of its regencies: {names}; regency unknown)"
        )
    return ", ".join(labels) if labels else "covers everything"


def open_case_counts(session: Session, org_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Open cases per organisation (of `org_ids` only, when given: an index range each)."""
    query = select(Case.organisation_id, func.count()).where(
        Case.status.in_(OPEN_STATUSES), Case.organisation_id.is_not(None)
    )
    if org_ids is not None:
        query = query.where(Case.organisation_id.in_(list(org_ids)))
    return {
        org_id: count for org_id, count in session.execute(query.group_by(Case.organisation_id))
    }


@dataclass(frozen=True)
class Ranked:
    """Candidates best first; `loads` holds the open cases of those that tied on coverage."""

    organisations: list[Organisation]
    loads: dict[int, int]


def rank(
    session: Session, facts: CaseFacts, exclude: Iterable[int] = (), selectable_only: bool = False
) -> Ranked:
    """Active, non-coordinator organisations taking the case: the most specific match first,
    then the one with fewest open cases. Open cases are counted only for organisations that
    tie on specificity (counting every organisation's cases cost 125 ms per case at a million)."""
    excluded = set(exclude)
    orgs = [
        o
        for o in session.scalars(select(Organisation).where(Organisation.active.is_(True)))
        if not o.is_coordinator and o.id not in excluded and takes(o, facts)
    ]
    if selectable_only:
        orgs = [o for o in orgs if o.selectable]
    groups: dict[tuple, list[Organisation]] = {}
    for org in orgs:
        groups.setdefault(_specificity(org, facts), []).append(org)
    tied = [o.id for group in groups.values() if len(group) > 1 for o in group]
    loads = open_case_counts(session, tied) if tied else {}
    orgs.sort(key=lambda o: (tuple(-x for x in _specificity(o, facts)), loads.get(o.id, 0), o.code))
    return Ranked(orgs, loads)


def candidates(
    session: Session, facts: CaseFacts, exclude: Iterable[int] = (), selectable_only: bool = False
) -> list[Organisation]:
    """Active, non-coordinator organisations taking the case, best first."""
    return rank(session, facts, exclude, selectable_only).organisations


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
            and takes(preferred, facts)
        ):
            return Decision(preferred, f"chosen by the reporter ({preferred.code})")
        note = f"reporter chose {preferred.code}, which does not take this case; "
    else:
        note = ""
    ranked = rank(session, facts, excluded)
    if ranked.organisations:
        org = ranked.organisations[0]
        why = _why(org, facts)
        if org.id in ranked.loads:
            why += f"; fewest open cases ({ranked.loads[org.id]})"
        return Decision(org, f"{note}best match on {why}")
    coord = coordinator(session)
    return Decision(coord, f"{note}no organisation covers this case; sent to the coordinator")
