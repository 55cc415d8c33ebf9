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


def _hours(session: Session, ids, start, end) -> dict[str, Any]:
    rows = session.execute(
        select(start, end).where(Case.id.in_(ids), end.is_not(None), start.is_not(None))
    ).all()
    values = sorted((b - a).total_seconds() / 3600 for a, b in rows)
    if not values:
        return {"count": 0, "mean_hours": None, "median_hours": None}
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return {
        "count": len(values),
        "mean_hours": round(sum(values) / len(values), 2),
        "median_hours": round(median, 2),
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
    return result
