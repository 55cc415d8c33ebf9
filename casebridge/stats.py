"""Counts and times over the cases a caller may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .models import Case, Organisation, Worker

DIMENSIONS = (
    "status",
    "category",
    "country",
    "province",
    "regency",
    "gender",
    "channel",
    "organisation",
)


def _column(dimension: str):
    return {
        "status": Case.status,
        "category": Case.category,
        "channel": Case.channel,
        "country": Worker.country,
        "province": Worker.province,
        "regency": Worker.regency,
        "gender": Worker.gender,
        "organisation": Organisation.code,
    }[dimension]


GENDER_BY = ("status", "category", "country", "province", "organisation")
"""Dimensions also counted per gender (the network reports gender-disaggregated figures)."""


def _hours(session: Session, ids, start, end) -> dict[str, Any]:
    rows = session.execute(
        select(start, end).where(Case.id.in_(ids), end.is_not(None), start.is_not(None))
    ).all()
    return _summary([(b - a).total_seconds() / 3600 for a, b in rows])


def _summary(hours: list[float]) -> dict[str, Any]:
    values = sorted(hours)
    if not values:
        return {"count": 0, "mean_hours": None, "median_hours": None}
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return {
        "count": len(values),
        "mean_hours": round(sum(values) / len(values), 2),
        "median_hours": round(median, 2),
    }


def _base(ids, *columns):
    return (
        select(*columns)
        .select_from(Case)
        .join(Worker, Worker.id == Case.worker_id)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .where(Case.id.in_(ids))
    )


def _gender_by(session: Session, ids) -> dict[str, dict[str, dict[str, int]]]:
    result: dict[str, dict[str, dict[str, int]]] = {}
    for dimension in GENDER_BY:
        col = _column(dimension)
        table: dict[str, dict[str, int]] = {}
        query = _base(ids, col, Worker.gender, func.count()).group_by(col, Worker.gender)
        for value, gender, count in session.execute(query):
            key = str(value) if value is not None else "unknown"
            table.setdefault(key, {})[gender or "unspecified"] = count
        result[dimension] = dict(sorted(table.items()))
    return result


def _organisation_times(session: Session, ids) -> dict[str, dict[str, Any]]:
    """Time to accept and to resolve per organisation holding the cases."""
    query = _base(
        ids,
        Organisation.code,
        Case.created_at,
        Case.assigned_at,
        Case.accepted_at,
        Case.resolved_at,
    ).where(Case.organisation_id.is_not(None))
    accept: dict[str, list[float]] = {}
    resolve: dict[str, list[float]] = {}
    for code, created, assigned, accepted, resolved in session.execute(query):
        accept.setdefault(code, [])
        resolve.setdefault(code, [])
        if assigned and accepted:
            accept[code].append((accepted - assigned).total_seconds() / 3600)
        if resolved:
            resolve[code].append((resolved - created).total_seconds() / 3600)
    return {
        code: {"time_to_accept": _summary(accept[code]), "time_to_resolve": _summary(resolve[code])}
        for code in sorted(accept)
    }


def compute(session: Session, cases: Select) -> dict[str, Any]:
    """`cases` is a select of Case (already limited to what the caller may see)."""
    ids = cases.with_only_columns(Case.id).scalar_subquery()
    result: dict[str, Any] = {
        "total": session.scalar(select(func.count()).select_from(Case).where(Case.id.in_(ids))) or 0
    }
    for dimension in DIMENSIONS:
        col = _column(dimension)
        query = (
            select(col, func.count())
            .select_from(Case)
            .join(Worker, Worker.id == Case.worker_id)
            .outerjoin(Organisation, Organisation.id == Case.organisation_id)
            .where(Case.id.in_(ids))
            .group_by(col)
        )
        counts = {str(k) if k is not None else "unknown": v for k, v in session.execute(query)}
        result[f"by_{dimension}"] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    result["overdue"] = (
        session.scalar(
            select(func.count()).select_from(Case).where(Case.id.in_(ids), Case.overdue.is_(True))
        )
        or 0
    )
    result["time_to_accept"] = _hours(session, ids, Case.assigned_at, Case.accepted_at)
    result["time_to_resolve"] = _hours(session, ids, Case.created_at, Case.resolved_at)
    result["gender_by"] = _gender_by(session, ids)
    result["by_organisation_times"] = _organisation_times(session, ids)
    return result
