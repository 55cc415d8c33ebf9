"""`GET /cases/<reference>`: one case as the person may see it (the reporter's phone masked
unless `caseview.may_reveal`), its conversation with the reporter, timeline, parties, who read
and changed it, and the forms of its actions; `GET /cases/<reference>/referral.pdf`. Each
showing is a read on the case's audit trail under the person's name."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, g, get_flashed_messages, render_template
from sqlalchemy import select

from casebridge import (
    access,
    actions,
    attachments,
    audit,
    caseview,
    conversation,
    parties,
    referrals,
    refs,
)
from casebridge.exports import pdf
from casebridge.models import Attachment, Case, CaseEvent, Organisation, User, utcnow
from gateway.api.cases import case_json
from gateway.downloads import attachment_response

from ..i18n import current_language
from ..signin import required
from .base import VIA, bp, find_case, me

READS_SHOWN = 100


def _names(events: list[CaseEvent], extra: list[str]) -> dict[str, str]:
    return audit.names(g.session, [e.actor for e in events] + extra)


def context(found: Case) -> dict[str, Any]:
    """Everything the case page shows; the caller records the read."""
    internal = not access.filer_only(g.session, found, g.org)
    reveal = caseview.may_reveal(found, g.org)
    shared = referrals.for_cases(g.session, [found.id]).get(found.id) if internal else None
    view = caseview.full(found, shared, reveal, internal)
    events = [e for e in found.events if e.kind not in audit.AUDIT_KINDS]
    if not internal:
        events = [e for e in events if e.kind not in caseview.INTERNAL_KINDS]
    reads = sorted(
        (e for e in found.events if e.kind in audit.AUDIT_KINDS), key=lambda e: e.id, reverse=True
    )[:READS_SHOWN]
    holder = found.organisation_id == g.org.id or g.org.is_coordinator
    offered = actions.pending_referral(g.session, found, g.org) is not None
    assignee = g.session.get(User, found.assignee_id) if found.assignee_id else None
    assignments = [e.data.get("assignee") for e in events if e.data and e.data.get("assignee")]
    colleagues = (
        list(
            g.session.scalars(
                select(User)
                .where(User.organisation_id == found.organisation_id, User.active.is_(True))
                .order_by(User.name)
            )
        )
        if found.organisation_id
        else []
    )
    others = list(
        g.session.scalars(
            select(Organisation)
            .where(Organisation.active.is_(True), Organisation.id != found.organisation_id)
            .order_by(Organisation.code)
        )
    )
    return {
        "case": found,
        "ref": refs.format_ref(found.reference),
        "view": view,
        "internal": internal,
        "reveal": reveal,
        "events": events,
        "reads": reads,
        "names": _names(events + reads, assignments),
        "lines": conversation.lines(g.session, found) if internal else [],
        "files": attachments.for_case(g.session, found) if internal else [],
        "parties": list(zip(found.parties, view["parties"], strict=True)) if internal else [],
        "party_roles": parties.ROLES,
        "cooperative": parties.COOPERATIVE,
        "may_act": internal and holder,
        "may_accept": internal and (offered or (holder and found.status == "assigned")),
        "assignee": assignee,
        "colleagues": colleagues,
        "others": others,
        "status_moves": actions.STATUS_MOVES,
        "flashes": get_flashed_messages(),
    }


def render(found: Case, status: int = 200, **extra: Any):
    """The case page (again after a refused or previewed action), its read recorded."""
    audit.read(g.session, found, g.org, f"GET /cases/{refs.format_ref(found.reference)}", VIA, me())
    return render_template("workspace_case.html", **context(found), **extra), status


@bp.get("/cases/<reference>")
@required()
def show(reference: str):
    return render(find_case(reference))


@bp.get("/cases/<reference>/referral.pdf")
@required()
def referral_pdf(reference: str):
    found = find_case(reference)
    ref = refs.format_ref(found.reference)
    audit.read(g.session, found, g.org, f"GET /cases/{ref}/referral.pdf", VIA, me())
    holder = found.organisation
    document = pdf.packet(
        case_json(found, full_phones=True),
        caseview.iso(utcnow()),
        f"{g.person.name}, {g.org.name} ({g.org.code})",
        f"{holder.name} ({holder.code})" if holder else None,
        current_language(),
    )
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="referral-{ref}.pdf"'},
    )


@bp.get("/cases/<reference>/attachments/<int:attachment_id>")
@required()
def attachment(reference: str, attachment_id: int):
    """A photo, document or voice note of the case, to those who may see it in full (not to
    the organisation that only filed it); anything else answers as a missing page."""
    found = find_case(reference)
    row = g.session.get(Attachment, attachment_id)
    if row is None or row.case_id != found.id or access.filer_only(g.session, found, g.org):
        abort(404)
    path = attachments.path_of(row, current_app.extensions["services"].settings.media_dir)
    if path is None:
        abort(404)
    ref = refs.format_ref(found.reference)
    audit.read(g.session, found, g.org, f"GET /cases/{ref}/attachments/{row.id}", VIA, me())
    return attachment_response(row, path, ref)
