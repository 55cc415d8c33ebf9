"""The WhatsApp Cloud API webhooks (the only place that knows Meta's field names):

    GET  /whatsapp/meta   subscription check: hub.mode=subscribe and hub.verify_token equal to
                          WHATSAPP_VERIFY_TOKEN -> hub.challenge (text/plain); else 403
    POST /whatsapp/meta   messages and statuses, signed `X-Hub-Signature-256` with
                          WHATSAPP_APP_SECRET (403 otherwise, changing nothing); 200 when taken,
                          400 malformed

A message is stored once (deduplicated on its `wamid`) before we answer. Text, interactive
replies (the reply's id is the choice's number, read like a typed one), audio, image, document
and video are handled; any other type is acknowledged and recorded as unsupported. A status
moves the outbox row through the status table; a retryable error code sends it again, 131047
(outside the window) holds it and sends the template."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, request

from casebridge import whatsapp
from casebridge.attachments import Media
from casebridge.channel_events import DeliveryReport, InboundSms
from gateway.providers.base import (
    OPTED_OUT,
    RETRY,
    UNKNOWN,
    WebhookError,
    bad_request,
    nul_free,
    scrub,
)
from gateway.sms import inbound

from ...services import Services
from ...webhooks import unsigned_accepted
from .sender import NAME
from .signature import HEADER, signature_ok
from .status import DELIVERY_STATUS, outcome

PATH = "/whatsapp/meta"
MEDIA_TYPES = ("image", "audio", "document", "video")
blueprint = Blueprint("whatsapp_meta", __name__)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise WebhookError(f"missing field {name!r}")
    return nul_free(name, str(value).strip())


def _when(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def values(body: bytes) -> Iterator[dict[str, Any]]:
    """Each `entry[].changes[].value` of a `messages` change."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise WebhookError("the body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise WebhookError("missing field 'entry'")
    for entry in data["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if isinstance(change, dict) and change.get("field") == "messages":
                value = change.get("value")
                if isinstance(value, dict):
                    yield value


def parse_message(message: Mapping[str, Any], our_number: str | None) -> InboundSms:
    """One `messages[]` item as a plain event; its media as attachments to fetch."""
    kind = message.get("type")
    text, media, meta = "", [], {"type": kind}
    if kind == "text":
        body = message.get("text")
        text = str(body.get("body") or "") if isinstance(body, dict) else ""
    elif kind == "interactive":
        reply = message.get("interactive")
        reply = reply if isinstance(reply, dict) else {}
        chosen = reply.get("button_reply") or reply.get("list_reply")
        if not isinstance(chosen, dict):
            raise WebhookError("an interactive message without its reply")
        text = _text(chosen, "id")
        meta["title"] = str(chosen.get("title") or "")[:100]
    elif kind == "button":  # a quick-reply button of a template
        button = message.get("button") or {}
        text = str(button.get("text") or "") if isinstance(button, dict) else ""
    elif kind in MEDIA_TYPES:
        item = message.get(kind)
        if not isinstance(item, dict):
            raise WebhookError(f"a {kind} message without its {kind!r}")
        media.append(Media(_text(item, "id"), str(item.get("mime_type") or "") or None, kind))
        text = str(item.get("caption") or "")
        if kind == "audio" and item.get("voice"):
            meta["voice"] = True
    else:
        meta["unsupported"] = str(kind)[:40]
    return InboundSms(
        provider=NAME,
        provider_message_id=_text(message, "id"),
        phone="+" + _text(message, "from").lstrip("+"),
        our_number=our_number,
        text=nul_free("text", text),
        received_at=_when(message.get("timestamp")),
        meta=meta,
        media=tuple(media),
    )


def parse_status(status: Mapping[str, Any]) -> DeliveryReport:
    word = _text(status, "status")
    ours = DELIVERY_STATUS.get(word, UNKNOWN)
    error = None
    if ours == "failed":
        errors = status.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else {}
        first = first if isinstance(first, dict) else {}
        code = first.get("code")
        title = scrub(str(first.get("title") or first.get("message") or "failed"), 150)
        error = f"WhatsApp {code}: {title}" if code is not None else title
        decided = outcome(code)
        if decided == RETRY:
            ours = "retry"
        elif decided == whatsapp.REENGAGE:
            ours = whatsapp.REENGAGE
        return DeliveryReport(
            NAME,
            _text(status, "id"),
            ours,
            error=error,
            opted_out=decided == OPTED_OUT,
            provider_status=word,
        )
    return DeliveryReport(NAME, _text(status, "id"), ours, provider_status=word)


def handle(services: Services, body: bytes) -> None:
    for value in values(body):
        metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
        our_number = str(metadata.get("phone_number_id") or "")[:40] or None
        for message in value.get("messages") or []:
            if isinstance(message, dict):
                inbound.receive(services, parse_message(message, our_number))
        for status in value.get("statuses") or []:
            if isinstance(status, dict):
                inbound.delivery(services, parse_status(status))


def _forbidden() -> Response:
    return Response("forbidden\n", status=403, mimetype="text/plain")


@blueprint.get(PATH)
def verify():
    expected = current_app.extensions["services"].settings.whatsapp_verify_token
    given = request.args.get("hub.verify_token", "")
    if (
        not expected
        or request.args.get("hub.mode") != "subscribe"
        or not hmac.compare_digest(given.encode(), expected.encode())
    ):
        return _forbidden()
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@blueprint.post(PATH)
def webhook():
    services: Services = current_app.extensions["services"]
    body = request.get_data(cache=True)  # the raw bytes Meta signed
    secret = services.settings.whatsapp_app_secret
    if secret:
        if not signature_ok(secret, body, request.headers.get(HEADER)):
            return _forbidden()
    elif not unsigned_accepted(services.settings, "WHATSAPP_APP_SECRET"):
        return _forbidden()
    try:
        handle(services, body)
    except WebhookError as exc:
        return bad_request(exc)
    return Response("", status=200, mimetype="text/plain")
