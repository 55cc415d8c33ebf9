"""`GET /api/v1/cases`, `GET /api/v1/cases/<reference>` and
`GET /api/v1/cases/<reference>/attachments/<id>`: the caller's cases and the files their
reporters sent, each read recorded in the case's audit trail."""

from __future__ import annotations

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from casebridge import access, attachments, audit, caseview, referrals, refs
from casebridge.models import Attachment, Case

from ..downloads import attachment_response
from . import bp, filters
from .auth import require_org
from .errors import not_found


def find_case(reference: str, lock: bool = False) -> Case:
    """The caller's case, or the same 404 whether it does not exist or is not theirs."""
    case = access.get_case(g.session, g.org, reference, lock)
    if case is None:
        raise not_found()
    return case


def case_json(case: Case, full_phones: bool = False) -> dict:
    if access.filer_only(g.session, case, g.org):  # a desk report it filed, worked elsewhere
        return caseview.full(case, internal=False)
    shared = referrals.for_cases(g.session, [case.id]).get(case.id)
    return caseview.full(case, shared, full_phones and caseview.may_reveal(case, g.org))


@bp.get("/cases")
@require_org
def list_cases():
    wanted = filters.parse(request.args, allowed=("page", "per_page"))
    page = filters.page(request.args)
    query = access.visible_cases(g.org, wanted, filed=True)
    total = g.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = g.session.scalars(
        query.options(joinedload(Case.worker), joinedload(Case.organisation))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .offset((page.number - 1) * page.size)
        .limit(page.size)
    ).all()
    audit.read_many(g.session, [c.id for c in rows], g.org, "GET /api/v1/cases")
    more = page.number * page.size < total
    args = {**request.args.to_dict(), "page": page.number + 1, "per_page": page.size}
    return jsonify(
        cases=[caseview.summary(c) for c in rows],
        page=page.number,
        per_page=page.size,
        total=total,
        next=url_for(".list_cases", **args) if more else None,
    )


@bp.get("/cases/<reference>")
@require_org
def read_case(reference: str):
    filters.only(request.args, ("phones",))
    full_phones = filters.full_phones(request.args)
    case = find_case(reference)
    audit.read(g.session, case, g.org, f"GET /api/v1/cases/{refs.format_ref(case.reference)}")
    return jsonify(case_json(case, full_phones))


@bp.get("/cases/<reference>/attachments/<int:attachment_id>")
@require_org
def read_attachment(reference: str, attachment_id: int):
    """The file, to those who may see the case (and not to the organisation that only filed
    it); a file not kept, of another case or of a case the caller may not see: 404."""
    filters.only(request.args, ())
    case = find_case(reference)
    row = g.session.get(Attachment, attachment_id)
    if row is None or row.case_id != case.id or access.filer_only(g.session, case, g.org):
        raise not_found()
    path = attachments.path_of(row, current_app.extensions["services"].settings.media_dir)
    if path is None:
        raise not_found()
    ref = refs.format_ref(case.reference)
    audit.read(g.session, case, g.org, f"GET /api/v1/cases/{ref}/attachments/{row.id}")
    return attachment_response(row, path, ref)
