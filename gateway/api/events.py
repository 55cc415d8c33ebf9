"""`POST /api/v1/cases/<reference>/events`: what an organisation does to a case, one JSON
object per event. The change, its timeline event and what the reporter is told are one
transaction; a refused event changes nothing."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from casebridge import actions, audit, caseview, clean, notify, parties, referrals
from casebridge.models import Case
from casebridge.status import TransitionError

from . import bp
from .auth import queue_message, require_org
from .cases import case_json, find_case
from .errors import ApiError, bad_request

MAX_TEXT = 2000
STATUS_MOVES = actions.STATUS_MOVES
FIELDS: dict[str, dict[str, bool]] = {
    "accept": {"note": False},
    "decline": {"reason": True},
    "status": {"status": True, "message": False},
    "note": {"note": True},
    "message": {"message": True},
    "refer": {"to": True, "reason": True, "consent": False},
    "party": {"role": True, "name": True, "contact": False, "cooperative": False, "note": False},
}
"""The fields of each kind (besides `kind`), and whether each is required."""
ACTION_STATUS = {"not_allowed": 403, "coordinator": 409}


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise bad_request('the body must be a JSON object, e.g. {"kind": "accept"}')
    data = {k: clean.text(v) if isinstance(v, str) else v for k, v in data.items()}
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise bad_request("unknown event kind", {"kind": f"must be one of {', '.join(FIELDS)}"})
    errors: dict[str, str] = {}
    for name in sorted(set(data) - set(FIELDS[kind]) - {"kind"}):
        errors[name] = f"unknown field for a {kind} event"
    for name, required in FIELDS[kind].items():
        value = data.get(name)
        if value is None:
            if required:
                errors[name] = "is required"
        elif name == "consent":
            if not isinstance(value, bool):
                errors[name] = "must be true or false"
        elif not isinstance(value, str) or not value.strip():
            errors[name] = "must be non-empty text"
        elif len(value) > MAX_TEXT:
            errors[name] = f"must be at most {MAX_TEXT} characters"
    if kind == "status" and isinstance(data.get("status"), str):
        if data["status"] not in STATUS_MOVES:
            errors["status"] = f"must be one of {', '.join(STATUS_MOVES)}"
        elif data["status"] in ("in_progress", "needs_info") and not data.get("message"):
            errors["message"] = "is required: it is sent to the reporter"
    if errors:
        raise bad_request(f"the {kind} event has problems", errors)
    return data


def _status(case: Case, actor: str, data: dict) -> actions.Done:
    return actions.move(g.session, case, g.org, actor, data["status"], data.get("message"))


def _refer(case: Case, actor: str, data: dict) -> actions.Done:
    target = referrals.find_organisation(g.session, data["to"].strip())
    if target is None:
        raise bad_request("no such organisation", {"to": "is not an active organisation code"})
    consent = data.get("consent") is True or case.consent_to_share
    return actions.refer(g.session, case, g.org, actor, target, data["reason"], consent)


def _apply(case: Case, data: dict) -> actions.Done:
    actor, s, org = audit.actor(g.org), g.session, g.org
    kind = data["kind"]
    if kind == "accept":
        return actions.accept(s, case, org, actor, data.get("note"))
    if kind == "decline":
        return actions.decline(s, case, org, actor, data["reason"])
    if kind == "status":
        return _status(case, actor, data)
    if kind == "note":
        return actions.note(s, case, org, actor, data["note"])
    if kind == "message":
        return actions.update(s, case, org, actor, data["message"])
    if kind == "refer":
        return _refer(case, actor, data)
    if not actions.may_act(case, org):
        raise actions.ActionError("not_allowed", "this organisation may not act on this case")
    fields = {k: v for k, v in data.items() if k != "kind"}
    try:
        _party, event = parties.add(s, case, org, actor, fields)
    except parties.PartyError as exc:
        raise bad_request("the party has problems", exc.errors) from exc
    return actions.Done(case, event)


@bp.post("/cases/<reference>/events")
@require_org
def post_event(reference: str):
    case = find_case(reference, lock=True)
    data = _body()
    try:
        done = _apply(case, data)
    except actions.ActionError as exc:
        status = ACTION_STATUS.get(exc.code, 400)
        raise ApiError(status, exc.code, str(exc)) from exc
    except TransitionError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    provider = current_app.extensions["services"].settings.sms_provider
    queue_message(notify.tell_reporter(g.session, done.case, done.notice, provider))
    g.session.flush()
    return jsonify(event=caseview.event(done.event), case=case_json(done.case)), 201
