"""Counts and times over the cases a caller may see, training cases left out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select, true
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


def _elapsed_hours(session: Session, start, end):
    """Hours from `start` to `end`, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _figures(count: int, mean: Any, median: Any) -> dict[str, Any]:
    if not count:
        return {"count": 0, "mean_hours": None, "median_hours": None}
    return {
        "count": count,
        "mean_hours": round(float(mean), 2),
        "median_hours": round(float(median), 2),
    }


def _summary(session: Session, query: Select, hours) -> dict[str, Any]:
    """Count, mean and median of `hours` over `query`'s rows, all in the database (the median
    by ORDER BY ... OFFSET, which every back end has)."""
    inner = query.add_columns(hours.label("h")).subquery()
    count, mean = session.execute(select(func.count(), func.avg(inner.c.h))).one()
    if not count:
        return _figures(0, None, None)
    middle = session.scalars(
        select(inner.c.h).order_by(inner.c.h).offset((count - 1) // 2).limit(2 - count % 2)
    ).all()
    return _figures(count, mean, sum(float(v) for v in middle) / len(middle))


def _summaries(session: Session, query: Select, hours, group=None) -> dict[Any, dict[str, Any]]:
    """`_summary` for each value of `group` (or, with no group, under the key None): over a
    million cases only the figures come back. PostgreSQL computes them in one query
    (`percentile_cont`); elsewhere one value at a time."""
    if session.get_bind().dialect.name == "postgresql":
        figures = (func.count(), func.avg(hours), func.percentile_cont(0.5).within_group(hours))
        if group is None:
            return {None: _figures(*session.execute(query.add_columns(*figures)).one())}
        grouped = query.add_columns(group, *figures).group_by(group)
        return {key: _figures(*rest) for key, *rest in session.execute(grouped)}
    if group is None:
        return {None: _summary(session, query, hours)}
    keys = session.scalars(query.add_columns(group).distinct()).all()
    return {key: _summary(session, query.where(group == key), hours) for key in keys}


def _hours(session: Session, criteria, start, end) -> dict[str, Any]:
    query = select().select_from(Case).where(criteria, end.is_not(None), start.is_not(None))
    return _summaries(session, query, _elapsed_hours(session, start, end))[None]


def _base(criteria, *columns):
    return (
        select(*columns)
        .select_from(Case)
        .join(Worker, Worker.id == Case.worker_id)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .where(criteria)
    )


def _gender_by(session: Session, criteria) -> dict[str, dict[str, dict[str, int]]]:
    result: dict[str, dict[str, dict[str, int]]] = {}
    for dimension in GENDER_BY:
        col = _column(dimension)
        table: dict[str, dict[str, int]] = {}
        query = _base(criteria, col, Worker.gender, func.count()).group_by(col, Worker.gender)
        for value, gender, count in session.execute(query):
            key = str(value) if value is not None else "unknown"
            table.setdefault(key, {})[gender or "unspecified"] = count
        result[dimension] = dict(sorted(table.items()))
    return result


def _organisation_times(session: Session, criteria) -> dict[str, dict[str, Any]]:
    """Time to accept and to resolve per organisation holding the cases."""
    held = _base(criteria).where(Case.organisation_id.is_not(None))
    codes = session.scalars(held.add_columns(Organisation.code).distinct()).all()
    accept = _summaries(
        session,
        held.where(Case.assigned_at.is_not(None), Case.accepted_at.is_not(None)),
        _elapsed_hours(session, Case.assigned_at, Case.accepted_at),
        Organisation.code,
    )
    resolve = _summaries(
        session,
        held.where(Case.resolved_at.is_not(None)),
        _elapsed_hours(session, Case.created_at, Case.resolved_at),
        Organisation.code,
    )
    none = _figures(0, None, None)
    return {
        code: {"time_to_accept": accept.get(code, none), "time_to_resolve": resolve.get(code, none)}
        for code in sorted(codes)
    }


def _criteria(cases: Select):
    """The condition a case must meet to be counted: in `cases` (its WHERE clause when it
    selects from the cases table alone: every query then filters cases directly; over a
    million cases an `id IN (subquery)` doubles each scan, else that IN), and not training."""
    if cases.get_final_froms() == [Case.__table__]:
        among = cases.whereclause if cases.whereclause is not None else true()
    else:
        among = Case.id.in_(cases.with_only_columns(Case.id).scalar_subquery())
    return and_(among, Case.training.is_(False))


def compute(session: Session, cases: Select) -> dict[str, Any]:
    """`cases` is a select of Case (already limited to what the caller may see); training
    cases are never counted."""
    criteria = _criteria(cases)
    result: dict[str, Any] = {
        "total": session.scalar(select(func.count()).select_from(Case).where(criteria)) or 0
    }
    for dimension in DIMENSIONS:
        col = _column(dimension)
        query = (
            select(col, func.count())
            .select_from(Case)
            .join(Worker, Worker.id == Case.worker_id)
            .outerjoin(Organisation, Organisation.id == Case.organisation_id)
            .where(criteria)
            .group_by(col)
        )
        counts = {str(k) if k is not None else "unknown": v for k, v in session.execute(query)}
        result[f"by_{dimension}"] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    result["overdue"] = (
        session.scalar(
            select(func.count()).select_from(Case).where(criteria, Case.overdue.is_(True))
        )
        or 0
    )
    result["time_to_accept"] = _hours(session, criteria, Case.assigned_at, Case.accepted_at)
    result["time_to_resolve"] = _hours(session, criteria, Case.created_at, Case.resolved_at)
    result["gender_by"] = _gender_by(session, criteria)
    result["by_organisation_times"] = _organisation_times(session, criteria)
    return result
