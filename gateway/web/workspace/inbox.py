"""`GET /cases`: the organisation's cases (a coordinator's: the network's), newest first within
what needs doing first, with the organisation API's filters and a search by reference. Every
case shown is a read on its audit trail, under the person's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_timedelta
from flask import g, render_template, request
from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as when_
from sqlalchemy.orm import joinedload

from casebridge import access, audit, refs, sla, taxonomy
from casebridge.models import Case, Referral, utcnow
from casebridge.models.cases import ReferralState
from casebridge.referrals import pending_to
from casebridge.status import OPEN_STATUSES, STATUSES
from gateway.api import filters
from gateway.api.errors import ApiError

from ..i18n import current_language
from ..signin import required
from .base import VIA, bp, me

GROUPS = ("offered", "mine", "needs_info", "overdue", "open", "closed")
"""The inbox's sections, in the order they need doing."""
PARAMS = ("page", "per_page", "q", "lang")


@dataclass(frozen=True)
class Row:
    case: Case
    group: str
    deadline: datetime | None
    left: str | None
    late: bool


def _rank(org, person_id: int):
    offered = or_(
        and_(Case.status == "assigned", Case.organisation_id == org.id),
        Case.id.in_(pending_to(org)),
    )
    still_open = Case.status.in_((*OPEN_STATUSES, "resolved"))
    return when_(
        (offered, 0),
        (and_(Case.assignee_id == person_id, still_open), 1),
        (Case.status == "needs_info", 2),
        (and_(Case.overdue.is_(True), still_open), 3),
        (still_open, 4),
        else_=5,
    )


def _search(query, text: str | None):
    """By reference, with or without the dash: the whole reference, or its first digits."""
    if not text:
        return query
    digits = "".join(ch for ch in text if ch not in " -")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 8:
        raise ApiError(400, "invalid", "search", {"q": "ws_err_reference"})
    whole = refs.normalise(digits)
    if whole is not None:
        return query.where(Case.reference == whole)
    return query.where(Case.reference.startswith(digits))


def _rows(cases: list[Case], ranks: list[int], lang: str) -> list[Row]:
    offered_at = dict(
        g.session.execute(
            select(Referral.case_id, func.max(Referral.created_at))
            .where(
                Referral.to_organisation_id == g.org.id,
                Referral.state == ReferralState.PENDING,
                Referral.case_id.in_([c.id for c in cases]),
            )
            .group_by(Referral.case_id)
        ).all()
    )
    now = utcnow()
    rows = []
    for c, rank in zip(cases, ranks, strict=True):
        deadline = sla.accept_by(c, g.org, offered_at.get(c.id)) if rank == 0 else None
        left = late = None
        if deadline is not None:
            if deadline.tzinfo is None:
                deadline = deadline.replace(tzinfo=now.tzinfo)
            late = deadline < now
            left = format_timedelta(
                abs(deadline - now), locale="id_ID" if lang == "id" else "en_GB"
            )
        rows.append(Row(c, GROUPS[rank], deadline, left, bool(late)))
    return rows


@bp.get("/cases")
@required()
def inbox():
    lang = current_language()
    errors: dict[str, str] = {}

    def attempt(check):  # every wrong parameter is named at once
        try:
            return check()
        except ApiError as exc:
            errors.update(exc.fields or {})
            return None

    wanted = attempt(lambda: filters.parse(request.args, allowed=PARAMS))
    page = attempt(lambda: filters.page(request.args))
    attempt(lambda: _search(select(Case), request.args.get("q")))
    if errors or wanted is None or page is None:
        return _page([], 0, None, errors), 400
    query = _search(access.visible_cases(g.org, wanted, filed=True), request.args.get("q"))
    rank = _rank(g.org, g.person.id)
    total = g.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = g.session.execute(
        query.add_columns(rank)
        .options(joinedload(Case.worker), joinedload(Case.organisation))
        .order_by(rank, Case.created_at.desc(), Case.id.desc())
        .offset((page.number - 1) * page.size)
        .limit(page.size)
    ).all()
    cases, ranks = [r[0] for r in found], [r[1] for r in found]
    audit.read_many(g.session, [c.id for c in cases], g.org, "GET /cases", VIA, who=me())
    more = page.number * page.size < total
    return _page(_rows(cases, ranks, lang), total, page if more or page.number > 1 else None, {})


def _page(rows: list[Row], total: int, page, errors: dict[str, str]) -> str:
    args = {k: v for k, v in request.args.items() if k not in ("page", "lang")}
    return render_template(
        "workspace_inbox.html",
        rows=rows,
        total=total,
        page=page,
        args=args,
        errors=errors,
        statuses=STATUSES,
        categories=taxonomy.CATEGORIES,
        groups=GROUPS,
    )
