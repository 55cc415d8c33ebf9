"""Exports: `GET /api/v1/export?format=csv|json|xml` (streamed, constant memory), the PDF
referral packet of one case, and the published XSD of the XML export."""

from __future__ import annotations

from importlib.resources import files

from flask import Response, current_app, g, request, stream_with_context

from casebridge import audit, caseview, exports, refs
from casebridge.exports import pdf, source
from casebridge.models import utcnow

from . import bp, filters
from .auth import require_org
from .cases import case_json, find_case
from .errors import bad_request


@bp.get("/export")
@require_org
def export():
    fmt = request.args.get("format", "")
    if fmt not in exports.FORMATS:
        raise bad_request(
            "unknown export format", {"format": f"must be one of {', '.join(exports.FORMATS)}"}
        )
    wanted = filters.parse(request.args, allowed=("format", "phones"))
    job = source.Request(
        organisation=g.org.code,
        filters=wanted,
        full_phones=filters.full_phones(request.args),
        what=f"GET /api/v1/export?format={fmt}",
    )
    db = current_app.extensions["services"].db
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(
        stream_with_context(exports.stream(fmt, source.cases(db, job))),
        content_type=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="cases-{g.org.code}-{stamp}.{fmt}"'},
    )


@bp.get("/cases/<reference>/referral.pdf")
@require_org
def referral_packet(reference: str):
    filters.only(request.args, ("phones", "lang"))
    full_phones = filters.full_phones(request.args)
    lang = request.args.get("lang", "id")
    if lang not in ("id", "en"):
        raise bad_request("some query parameters are wrong", {"lang": "must be id or en"})
    case = find_case(reference)
    ref = refs.format_ref(case.reference)
    audit.read(g.session, case, g.org, f"GET /api/v1/cases/{ref}/referral.pdf")
    holder = f"{case.organisation.name} ({case.organisation.code})" if case.organisation else None
    document = pdf.packet(
        case_json(case, full_phones),
        caseview.iso(utcnow()),
        f"{g.org.name} ({g.org.code})",
        holder,
        lang,
    )
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="referral-{ref}.pdf"'},
    )


@bp.get("/schemas/cases.xsd")
def cases_schema():
    """The XML export's schema (no key needed: it holds no data)."""
    xsd = (files(exports.__name__) / "cases.xsd").read_bytes()
    return Response(xsd, mimetype="application/xml")
