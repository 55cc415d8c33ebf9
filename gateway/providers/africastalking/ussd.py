"""Africa's Talking USSD (protocols.md A1): the callback and the end-of-session events.

The only place that knows AT's USSD field names. A hop becomes a `UssdHop`; the screen that
`gateway.ussd.hop.answer` gives back becomes `CON …`/`END …` text/plain. Both URLs need
`?token=` equal to AT_WEBHOOK_TOKEN (`gateway.webhooks.token_matches`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from casebridge.channel_events import SessionEnd, UssdHop
from ussd_menus.menu import DEFAULT_LANGUAGE
from ussd_menus.notices import notice
from ussd_menus.screens import Screen

from ...services import Services
from ...ussd import fastpath, metrics
from ...ussd.hop import SESSION_ID, answer, caller
from ...ussd.records import record_end
from ...webhooks import at_token_required, token_matches

log = logging.getLogger(__name__)

NAME = "africastalking"
HOP_PATH = "/ussd/africastalking"
OUTCOMES = {"Success": "completed", "Incomplete": "dropped", "Failed": "failed"}
"""AT's end-of-session `status` -> ours (protocols.md A1.5)."""
META_FIELDS = ("date", "serviceCode", "networkCode", "cost", "errorMessage", "retryCount")
"""End-notification fields kept with the record; `input` and `lastAppResponse` are not (they
may hold what the person typed, or a PIN)."""
META_MAX = 300

blueprint = Blueprint("africastalking_ussd", __name__)


class EventError(ValueError):
    """The end notification is malformed; answered 400 with this message."""


def render(screen: Screen) -> str:
    """The reply body AT expects: `CON ` (wait for input) or `END ` (close), then the text."""
    return ("END " if screen.end else "CON ") + screen.text


def _field(form: Mapping[str, str], name: str) -> str:
    return str(form.get(name) or "").strip()


def parse_hop(form: Mapping[str, str]) -> UssdHop:
    """The hop as a plain event; missing fields stay empty (the hop check refuses them)."""
    return UssdHop(
        provider=NAME,
        session_id=_field(form, "sessionId"),
        phone=_field(form, "phoneNumber"),
        service_code=_field(form, "serviceCode"),
        text=str(form.get("text") or ""),  # "" on the first hop; never stripped
        network_code=_field(form, "networkCode") or None,
    )


def _count(form: Mapping[str, str], name: str) -> int | None:
    raw = _field(form, name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise EventError(f"field {name!r} must be a whole number, not {raw[:20]!r}")
    return int(raw)


def parse_end(form: Mapping[str, str]) -> SessionEnd:
    """The end-of-session notification as a plain event; EventError says what is wrong."""
    session_id = _field(form, "sessionId")
    if not SESSION_ID.fullmatch(session_id):
        raise EventError("missing or malformed field 'sessionId'")
    status = _field(form, "status")
    if status not in OUTCOMES:
        known = ", ".join(OUTCOMES)
        raise EventError(f"field 'status' must be one of {known}, not {status[:30]!r}")
    return SessionEnd(
        provider=NAME,
        session_id=session_id,
        outcome=OUTCOMES[status],
        phone=caller(_field(form, "phoneNumber")),
        hops=_count(form, "hopsCount"),
        duration_ms=_count(form, "durationInMillis"),
        meta={name: _field(form, name)[:META_MAX] for name in META_FIELDS if _field(form, name)},
    )


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def reply(services: Services, form: Mapping[str, str] | None) -> str:
    """The reply body to a hop; `form` is None when the body could not be read."""
    if form is None:
        return render(notice("bad_request", DEFAULT_LANGUAGE))
    return render(answer(services, parse_hop(form)))


def _token_ok(services: Services, query_string: str) -> bool:
    """`gateway.webhooks.at_token_ok` for a hop answered before Flask (no request object)."""
    given = next(
        (v for k, v in parse_qsl(query_string, keep_blank_values=True) if k == "token"), ""
    )
    return token_matches(services.settings, given)


def _fast_hop(services: Services, form: Mapping[str, str] | None, query: str) -> fastpath.Reply:
    if not _token_ok(services, query):
        return fastpath.Reply(403, "forbidden\n")
    return fastpath.Reply(200, reply(services, form))


@blueprint.record_once
def _install(state) -> None:
    metrics.install(state.app)
    fastpath.install(state.app, HOP_PATH, "africastalking_ussd.ussd_hop", _fast_hop)


@blueprint.post(HOP_PATH)
@at_token_required
def ussd_hop() -> Response:
    """A hop Flask sees: one whose body is not a urlencoded form (the others are answered by
    `gateway.ussd.fastpath` in front of Flask, with `reply` as well)."""
    try:
        form = request.form
    except HTTPException as exc:  # too large, or a body that cannot be read
        log.info("USSD hop refused: unreadable body (%s)", exc.code)
        form = None
    return _plain(reply(current_app.extensions["services"], form))


@blueprint.post("/ussd/africastalking/events")
@at_token_required
def ussd_events() -> Response:
    try:
        end = parse_end(request.form)
    except EventError as exc:
        return _plain(f"{exc}\n", 400)
    except HTTPException as exc:
        return _plain(f"{exc.description}\n", exc.code or 400)
    try:
        record_end(current_app.extensions["services"], end)
    except Exception:
        log.exception("USSD session end not recorded (%s)", end.session_id)
        response = _plain("temporarily unavailable; try again\n", 503)
        response.headers["Retry-After"] = "5"
        return response
    return _plain("OK\n")
