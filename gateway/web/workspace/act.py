"""The case's actions, each a POST form with CSRF that calls `casebridge.actions` (or
`casebridge.parties`) as the person (`person:<id>`), then commits and redirects back with a
confirmation (Post/Redirect/Get). A refused action changes nothing and shows the case again
with a plain message: 400 for a wrong form, 409 for a move the case does not allow.

Changing the status previews first: the page shows exactly the SMS the reporter will receive
(`casebridge.notify.preview`, the function `tell_reporter` sends with) or says why nothing will
be sent; the second form sends it, and only if that is still what the person saw."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import current_app, flash, g, redirect, request, url_for
from sqlalchemy import select

from casebridge import access, actions, caseview, notify, parties, referrals
from casebridge.models import Case, User
from casebridge.status import TransitionError

from .. import csrf
from ..signin import required
from .base import bp, commit_and_enqueue, find_case, me
from .case import render
from .forms import FormError, choice, number, text, ticked

CONFLICTS = frozenset({"not_allowed", "coordinator", "not_colleague", "case_closed"})
"""ActionError codes answered 409 (the case's state, not the form, is in the way)."""


def _provider() -> str:
    return current_app.extensions["services"].settings.sms_provider


def _refused(found: Case, exc: Exception):
    """The case page with what went wrong; the savepoint has already undone the change."""
    if isinstance(exc, FormError):
        return render(found, 400, error="ws_err_form", error_field=exc.field, error_key=exc.key)
    if isinstance(exc, parties.PartyError):
        return render(found, 400, error="ws_err_party", error_details=exc.errors)
    if isinstance(exc, TransitionError):
        return render(found, 409, error="ws_err_transition")
    code = getattr(exc, "code", "")
    return render(found, 409 if code in CONFLICTS else 400, error=f"ws_err_{code}")


def _run(reference: str, change: Callable[[Case], actions.Done], done_key: str):
    """Check the form's token, lock the case, apply `change` in a savepoint, tell the reporter,
    commit, enqueue, and go back to the case (or the inbox, when the case is no longer ours)."""
    csrf.check()
    found = find_case(reference, lock=True)
    try:
        with g.session.begin_nested():
            done = change(found)
            told = notify.tell_reporter(g.session, done.case, done.notice, _provider())
    except (FormError, parties.PartyError, actions.ActionError, TransitionError) as exc:
        return _refused(found, exc)
    commit_and_enqueue([told.id] if told is not None else [])
    flash(done_key)
    if access.get_case(g.session, g.org, reference) is None:
        return redirect(url_for("workspace.inbox"))
    return redirect(url_for("workspace.show", reference=reference))


@bp.post("/cases/<reference>/accept")
@required()
def accept(reference: str):
    return _run(
        reference,
        lambda c: actions.accept(g.session, c, g.org, me(), text("note")),
        "ws_done_accept",
    )


@bp.post("/cases/<reference>/decline")
@required()
def decline(reference: str):
    return _run(
        reference,
        lambda c: actions.decline(g.session, c, g.org, me(), text("reason", required=True)),
        "ws_done_decline",
    )


@bp.post("/cases/<reference>/take")
@required()
def take(reference: str):
    return _run(
        reference, lambda c: actions.take(g.session, c, g.org, me(), g.person), "ws_done_take"
    )


def _colleague() -> User:
    colleague = g.session.scalar(
        select(User).where(
            User.id == number("to"), User.organisation_id == g.org.id, User.active.is_(True)
        )
    )
    if colleague is None:
        raise FormError("to", "ws_err_colleague")
    return colleague


@bp.post("/cases/<reference>/give")
@required()
def give(reference: str):
    return _run(
        reference, lambda c: actions.give(g.session, c, g.org, me(), _colleague()), "ws_done_give"
    )


@bp.post("/cases/<reference>/note")
@required()
def note(reference: str):
    return _run(
        reference,
        lambda c: actions.note(g.session, c, g.org, me(), text("note", required=True)),
        "ws_done_note",
    )


def _party_fields() -> dict:
    return {
        "role": request.form.get("role", ""),
        "name": text("name", limit=10_000),
        "contact": text("contact", limit=10_000),
        "cooperative": request.form.get("cooperative", "unknown"),
        "note": text("party_note", limit=10_000),
    }


def _party(found: Case, party_id: int | None) -> actions.Done:
    if not actions.may_act(found, g.org):
        raise actions.ActionError("not_allowed", "this organisation may not act on this case")
    fields = _party_fields()  # parties.check names every wrong field
    if party_id is not None and fields["contact"] is None and not caseview.may_reveal(found, g.org):
        old = next((p for p in found.parties if p.id == party_id), None)
        fields["contact"] = old.contact if old else None  # masked on the form: kept as it was
    if party_id is None:
        _p, event = parties.add(g.session, found, g.org, me(), fields)
    else:
        _p, event = parties.edit(g.session, found, g.org, me(), party_id, fields)
    return actions.Done(found, event)


@bp.post("/cases/<reference>/parties")
@required()
def add_party(reference: str):
    return _run(reference, lambda c: _party(c, None), "ws_done_party")


@bp.post("/cases/<reference>/parties/<int:party_id>")
@required()
def edit_party(reference: str, party_id: int):
    return _run(reference, lambda c: _party(c, party_id), "ws_done_party_edit")


def _refer(found: Case) -> actions.Done:
    code = text("to", required=True, limit=40) or ""
    target = referrals.find_organisation(g.session, code)
    if target is None:
        raise FormError("to", "ws_err_organisation")
    reason = text("reason", required=True)
    return actions.refer(g.session, found, g.org, me(), target, reason, ticked("consent"))


@bp.post("/cases/<reference>/refer")
@required()
def refer(reference: str):
    return _run(reference, _refer, "ws_done_refer")


def _move(found: Case) -> actions.Done:
    to = choice("status", actions.STATUS_MOVES)
    words = text("message", required=to in ("in_progress", "needs_info"))
    return actions.move(g.session, found, g.org, me(), to, words)


def fingerprint(preview: notify.Preview) -> str:
    """What the person was shown, so that the send step sends only that."""
    shown = f"{preview.text}\x1f{preview.withheld}"
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


@bp.post("/cases/<reference>/status")
@required()
def status(reference: str):
    """Without `confirm`: the preview (nothing changes). With it: the change, if the reporter
    would still receive exactly what the preview showed."""
    csrf.check()
    found = find_case(reference, lock=True)
    confirm = request.form.get("confirm")
    savepoint = g.session.begin_nested()
    try:
        done = _move(found)
        preview = notify.preview(done.case, done.notice)
    except (FormError, actions.ActionError, TransitionError) as exc:
        savepoint.rollback()
        return _refused(found, exc)
    if confirm is None or confirm != fingerprint(preview):
        savepoint.rollback()
        shown = {
            "preview": preview,
            "preview_status": request.form.get("status"),
            "preview_message": request.form.get("message", ""),
            "preview_fingerprint": fingerprint(preview),
        }
        if confirm is None:
            return render(found, **shown)
        return render(found, 409, error="ws_err_preview_changed", **shown)
    told = notify.tell_reporter(g.session, done.case, done.notice, _provider())
    savepoint.commit()
    commit_and_enqueue([told.id] if told is not None else [])
    flash("ws_done_status_sent" if told is not None else "ws_done_status")
    return redirect(url_for("workspace.show", reference=reference))


@bp.get("/cases/<reference>/<any(accept,decline,take,give,note,parties,refer,status):action>")
@required()
def back_to_case(reference: str, action: str):
    """A page answered to a form's POST has the form's address; opened again (the language
    switch, a reload), it is the case."""
    return redirect(url_for("workspace.show", reference=reference, **request.args.to_dict()))
