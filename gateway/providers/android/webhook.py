"""POST /sms/android (the default phone) and POST /sms/android/<name> (a registered phone,
signed with its own key): the phone's signed JSON webhooks (`sms:received`, `sms:sent`,
`sms:delivered`, `sms:failed`, `system:ping`); 204 when taken, 403 unsigned, stale or wrongly
signed (or ANDROID_WEBHOOK_KEY unset, unless ALLOW_UNSIGNED_WEBHOOKS), 400 malformed. A
received message is deduplicated on the webhook's event `id` (the phone's own `messageId` is
derived from the content). Another `sms:` event about a message the phone sends
(`sms:cancelled`, …) is `unknown`: kept raw on the message, its state unmoved."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, current_app, request

from casebridge import phones as numbers
from casebridge.channel_events import DeliveryReport, InboundSms
from gateway.providers.base import UNKNOWN, WebhookError, bad_request, nul_free, scrub
from gateway.sms import inbound

from ...services import Services
from ...webhooks import unsigned_accepted
from . import phones
from .protocol import (
    DEFAULT,
    DELIVERY_EVENTS,
    NAME,
    PATH,
    PHONE_NAME,
    RECEIVED,
    is_delivery,
    route,
    signature_ok,
)
from .state import seen

log = logging.getLogger(__name__)

SENDER_FIELDS = ("sender", "phoneNumber")
"""Where a received SMS names its sender, current field first (protocols.md G)."""
RECENT = timedelta(minutes=5)
"""A delivery event this recent for an id we do not know yet may have overtaken the send's
answer: it is refused (409) so the phone retries it."""


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The webhook's JSON: `event`, `id`, `deviceId`, `payload` (an object)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise WebhookError("the body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise WebhookError("missing field 'event'")
    if not isinstance(data.get("payload", {}), dict):
        raise WebhookError("'payload' is not an object")
    return data


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise WebhookError(f"missing field {name!r}")
    return nul_free(name, str(value).strip())


def _sender(payload: Mapping[str, Any]) -> str:
    """Who sent a received SMS: `sender` in the app's current payload, else the deprecated
    `phoneNumber` (what older app versions send)."""
    for name in SENDER_FIELDS:
        try:
            return _text(payload, name)
        except WebhookError:
            continue
    raise WebhookError(f"missing field {SENDER_FIELDS[0]!r}")


def _time(value: object) -> datetime | None:
    """A payload time (device local time with its offset), or None when there is none."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def parse_received(envelope: Mapping[str, Any], phone: str = DEFAULT) -> InboundSms:
    payload = envelope.get("payload") or {}
    if not isinstance(payload.get("message"), str):
        raise WebhookError("missing field 'message'")
    sim, device = payload.get("simNumber"), envelope.get("deviceId")
    recipient = payload.get("recipient")  # the receiving SIM's own number, when the phone knows it
    meta = {
        "device_id": device,
        "sim": sim,
        "sim_phone": recipient if isinstance(recipient, str) and recipient else None,
        "phone_message_id": payload.get("messageId"),
    }
    return InboundSms(
        provider=NAME,
        provider_message_id=_text(envelope, "id"),
        phone=_sender(payload),
        our_number=route(sim, device, phone),
        text=payload["message"],
        received_at=_time(payload.get("receivedAt")),
        meta={k: v for k, v in meta.items() if v is not None},
    )


def parse_delivery(envelope: Mapping[str, Any]) -> tuple[DeliveryReport, datetime | None]:
    """The delivery report an event holds, and when the phone says it happened (None for an
    event we do not know, which is `unknown`)."""
    event = envelope["event"]
    status, time_field = DELIVERY_EVENTS.get(event, (UNKNOWN, None))
    payload = envelope.get("payload") or {}
    reason = scrub(str(payload.get("reason") or "delivery failed"), 200)
    report = DeliveryReport(
        NAME,
        _text(payload, "messageId"),
        status,
        error=f"phone: {reason}" if status == "failed" else None,
        provider_status=event,
    )
    return report, _time(payload.get(time_field)) if time_field else None


def _answer(status: int, text: str = "") -> Response:
    return Response(text, status=status, mimetype="text/plain")


def handle(services: Services, envelope: Mapping[str, Any], phone: str = DEFAULT) -> Response:
    """Act on one signed event; unknown events are acknowledged and ignored."""
    event = envelope["event"]
    if event == RECEIVED:
        sms = parse_received(envelope, phone)
        if numbers.normalise_sender(sms.phone) is None:  # the network's own ("TELKOMSEL")
            log.info("SMS from a sender that is not a phone number ignored")
        else:
            inbound.receive(services, sms)
    elif is_delivery(event, envelope.get("payload") or {}):
        report, happened = parse_delivery(envelope)
        known = inbound.delivery(services, report)
        if not known and happened is not None and abs(datetime.now(UTC) - happened) < RECENT:
            return _answer(409, "unknown message id (yet); retry later\n")
    return _answer(204)


blueprint = Blueprint("android_sms", __name__)


@blueprint.post(PATH)
def webhook():
    services: Services = current_app.extensions["services"]
    body = request.get_data(cache=True)  # the raw bytes the phone signed, before any parsing
    key = services.settings.android_webhook_key
    if key:
        if not signature_ok(key, body, request.headers):
            return _answer(403, "forbidden\n")
    elif not unsigned_accepted(services.settings, "ANDROID_WEBHOOK_KEY"):
        return _answer(403, "forbidden\n")
    return _take(services, body, DEFAULT)


@blueprint.post(PATH + "/<name>")
def phone_webhook(name: str):
    """A registered phone's webhooks, each signed with that phone's own key. An unknown,
    disabled or malformed name answers exactly like a wrong signature (403): which phones
    exist is not revealed."""
    services: Services = current_app.extensions["services"]
    body = request.get_data(cache=True)
    if name == DEFAULT:
        return webhook()
    phone = None
    if PHONE_NAME.fullmatch(name):
        with services.db.session() as session:
            phone = phones.find(session, services.settings, name)
    if phone is None or not signature_ok(phone.webhook_key, body, request.headers):
        return _answer(403, "forbidden\n")
    return _take(services, body, name)


def _take(services: Services, body: bytes, phone: str) -> Response:
    try:
        envelope = parse_envelope(body)
        answer = handle(services, envelope, phone)
    except WebhookError as exc:
        return bad_request(exc)
    seen(services, envelope, phone)
    return answer
