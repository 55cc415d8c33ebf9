"""SMS Gateway for Android: a phone with a local SIM as the SMS provider (protocols.md E).

The only place that knows the app's field names. Both directions and the phone's state:

    POST /sms/android     the phone's signed JSON webhooks (`sms:received`, `sms:sent`,
                          `sms:delivered`, `sms:failed`, `system:ping`); 204 when taken,
                          403 unsigned, stale or wrongly signed, 400 malformed
    AndroidSender         sends through the official `android-sms-gateway` client
    health / metrics      when the phone was last heard from, and whether messages wait
    pengaduan android connect   registers this service's webhooks on the phone (idempotent)

A message the phone received is deduplicated on the webhook's event `id` (the phone's own
`messageId` is derived from the content). The SIM slot and device a person wrote to travel in
`our_number` ("sim:2@<device>"), so replies leave through the same phone and SIM."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import click
import requests
from android_sms_gateway import APIClient, Message, TextMessage, Webhook, WebhookEvent
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import RequestsHttpClient
from flask import Blueprint, Response, current_app, request
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, or_, select

from casebridge import phones
from casebridge.events import DeliveryReport, InboundSms
from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError, SendResult
from casebridge.models import Message as Row
from casebridge.settings import Settings
from gateway.sms import inbound
from gateway.sms.scrub import scrub
from gateway.sms.status_table import StatusTable, UnknownStatus
from gateway.sms.webhook import WebhookError, bad_request

from ..services import Services
from .base import Provider

log = logging.getLogger(__name__)
NAME = "android"
PATH = "/sms/android"

# --- the app's words, as data ------------------------------------------------------------

RECEIVED, PING = WebhookEvent.SMS_RECEIVED.value, WebhookEvent.SYSTEM_PING.value
DELIVERY_EVENTS: StatusTable[tuple[str, str]] = StatusTable(
    "SMS Gateway for Android delivery event",
    {
        "sms:sent": ("sent", "sentAt"),
        "sms:delivered": ("delivered", "deliveredAt"),
        "sms:failed": ("failed", "failedAt"),
    },
)
"""Delivery event -> (our status, the payload field with its time)."""

WEBHOOK_IDS = {
    event: "pengaduan-" + event.replace(":", "-")
    for event in (RECEIVED, *DELIVERY_EVENTS.rows, PING)
}
"""The events `connect` registers, each under a fixed id so that a rerun replaces it."""

RETRY, FAIL = "retry", "fail"
SEND_ERRORS: StatusTable[str] = StatusTable(
    "SMS Gateway for Android HTTP status",
    {
        400: FAIL,  # bad request: an invalid number, an empty text
        401: RETRY,  # wrong ANDROID_GATEWAY_LOGIN/PASSWORD: fixed by correcting the settings
        403: RETRY,
        404: RETRY,  # wrong ANDROID_GATEWAY_URL (e.g. without /3rdparty/v1)
        409: FAIL,
        413: FAIL,
        422: FAIL,
        429: RETRY,
    },
)
"""HTTP status of a refused send -> what we do. Others: 5xx retry, any other 4xx fails."""

REFUSED_STATES = frozenset({"Failed", "Cancelled", "Cancelling"})
"""Recipient states in the send's answer that mean the phone will not send it."""

MAX_SKEW = 300
"""Seconds a webhook's `X-Timestamp` may be from now (the app's docs advise ±5 minutes)."""
RECENT = timedelta(minutes=5)
"""A delivery event this recent for an id we do not know yet may have overtaken the send's
answer: it is refused (409) so the phone retries it."""
SILENT_AFTER = timedelta(minutes=15)
WAITING = ("queued", "retrying", "sending")
HORIZON = timedelta(days=2)
"""How far back a row the relay accepted after the phone went silent still counts as waiting."""
TIMEOUT = (3.05, 15)
"""Seconds to connect to the phone (or relay), and to wait for its answer."""

# --- signatures ----------------------------------------------------------------------------


def sign(key: str, body: bytes, timestamp: str) -> str:
    """The phone's `X-Signature`: hex HMAC-SHA256 of the raw body followed by `X-Timestamp`."""
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def signature_ok(key: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """A valid signature over a timestamp within ±MAX_SKEW seconds; no key, no entry."""
    timestamp = headers.get("X-Timestamp", "")
    given = headers.get("X-Signature", "").strip().lower().encode("utf-8", "replace")
    if not key or not given or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs(time.time() - int(timestamp)) > MAX_SKEW:
        return False
    return hmac.compare_digest(sign(key, body, timestamp).encode(), given)


# --- the reply route: which phone and SIM a person wrote to ----------------------------------

_ROUTE = re.compile(r"^(?:sim:(?P<sim>\d{1,2}))?(?:@(?P<device>[\w.-]{1,64}))?$")


def route(sim: object, device: object) -> str | None:
    """`our_number` for a message that came in on this SIM slot of this device."""
    head = f"sim:{sim}" if isinstance(sim, int) and not isinstance(sim, bool) and sim > 0 else ""
    full = head + (f"@{device}" if isinstance(device, str) and device else "")
    return (full if len(full) <= 40 else head) or None


def parse_route(our_number: str | None) -> tuple[int | None, str | None]:
    """(SIM slot, device id) from `our_number`; (None, None) for anything else."""
    match = _ROUTE.match(our_number or "")
    if match is None:
        return None, None
    return (int(match["sim"]) if match["sim"] else None), match["device"]


# --- webhooks ------------------------------------------------------------------------------


def parse_envelope(body: bytes) -> dict[str, Any]:
    """The webhook's JSON: `event`, `id`, `deviceId`, `payload` (an object)."""
    try:
        data = json.loads(body)
    except ValueError:
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
    return str(value).strip()


def _time(value: object) -> datetime | None:
    """A payload time (device local time with its offset), or None when there is none."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def parse_received(envelope: Mapping[str, Any]) -> InboundSms:
    payload = envelope.get("payload") or {}
    if not isinstance(payload.get("message"), str):
        raise WebhookError("missing field 'message'")
    sim, device = payload.get("simNumber"), envelope.get("deviceId")
    meta = {"device_id": device, "sim": sim, "phone_message_id": payload.get("messageId")}
    return InboundSms(
        provider=NAME,
        provider_message_id=_text(envelope, "id"),
        phone=_text(payload, "phoneNumber"),
        our_number=route(sim, device),
        text=payload["message"],
        received_at=_time(payload.get("receivedAt")),
        meta={k: v for k, v in meta.items() if v is not None},
    )


def parse_delivery(envelope: Mapping[str, Any]) -> tuple[DeliveryReport, datetime | None]:
    """The delivery report an event holds, and when the phone says it happened."""
    status, time_field = DELIVERY_EVENTS[envelope["event"]]
    payload = envelope.get("payload") or {}
    reason = scrub(str(payload.get("reason") or "delivery failed"), 200)
    report = DeliveryReport(
        NAME,
        _text(payload, "messageId"),
        status,
        error=f"phone: {reason}" if status == "failed" else None,
    )
    return report, _time(payload.get(time_field))


def _answer(status: int, text: str = "") -> Response:
    return Response(text, status=status, mimetype="text/plain")


def handle(services: Services, envelope: Mapping[str, Any]) -> Response:
    """Act on one signed event; unknown events are acknowledged and ignored."""
    event = envelope["event"]
    if event == RECEIVED:
        sms = parse_received(envelope)
        if phones.normalise(sms.phone) is None:  # the network's own texts ("TELKOMSEL")
            log.info("SMS from a sender that is not a phone number ignored")
        else:
            inbound.receive(services, sms)
    elif event in DELIVERY_EVENTS:
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
    if not signature_ok(services.settings.android_webhook_key, body, request.headers):
        return _answer(403, "forbidden\n")
    try:
        envelope = parse_envelope(body)
        answer = handle(services, envelope)
    except WebhookError as exc:
        return bad_request(exc)
    seen(services, envelope)
    return answer


# --- the phone's state, in Redis (shared by every gateway process) ---------------------------

PHONE_KEY, PINGS_KEY, EVENT_KEY = "android:phone", "android:pings", "android:event:"


def seen(services: Services, envelope: Mapping[str, Any]) -> None:
    """Record that the phone called (any signed event); count each ping once."""
    state = {
        "at": repr(time.time()),
        "device": str(envelope.get("deviceId") or ""),
        "event": envelope["event"],
    }
    health = (envelope.get("payload") or {}).get("health")
    if envelope["event"] == PING and isinstance(health, dict):
        state["health"] = str(health.get("status", ""))[:20]  # the app's own check: pass/warn/fail
    try:
        services.redis.hset(PHONE_KEY, mapping=state)
        event_id = str(envelope.get("id") or "")
        if envelope["event"] == PING and (
            not event_id or services.redis.set(EVENT_KEY + event_id, 1, nx=True, ex=3 * 86400)
        ):
            services.redis.incr(PINGS_KEY)
    except Exception as exc:  # the phone's state is never worth refusing a webhook for
        log.warning("Android gateway phone state not recorded: %s", exc)


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def last_seen(services: Services) -> dict[str, Any]:
    """{"at": datetime | None, "device", "health", "pings"} as recorded."""
    raw = {_str(k): _str(v) for k, v in services.redis.hgetall(PHONE_KEY).items()}
    at = datetime.fromtimestamp(float(raw["at"]), UTC) if raw.get("at") else None
    pings = int(services.redis.get(PINGS_KEY) or 0)
    return {
        "at": at,
        "device": raw.get("device") or None,
        "health": raw.get("health"),
        "pings": pings,
    }


def waiting(services: Services, since: datetime | None) -> int:
    """Outbound messages waiting for the phone: not yet handed over, or handed to the relay
    after the phone was last heard from (a phone that sent them would have said so)."""
    now = datetime.now(UTC)
    accepted = Row.sent_at >= max(since or now - HORIZON, now - HORIZON)
    with services.db.session() as session:
        return session.scalar(
            select(func.count(Row.id)).where(
                Row.direction == "out",
                Row.provider == NAME,
                or_(Row.status.in_(WAITING), (Row.status == "sent") & accepted),
            )
        )


def in_use(settings: Settings) -> bool:
    return bool(
        settings.android_gateway_url
        or settings.android_webhook_key
        or settings.sms_provider == NAME
    )


def health(services: Services) -> dict[str, Any] | None:
    """The phone for `/healthz`; not ok when it has been silent for more than 15 minutes while
    messages wait. None when this service does not use a phone."""
    if not in_use(services.settings):
        return None
    state = last_seen(services)
    at = state["at"]
    count = waiting(services, at)
    silent = at is None or datetime.now(UTC) - at > SILENT_AFTER
    ok = not (silent and count)
    if at is None:
        message = "the phone has never called this service"
    else:
        minutes = int((datetime.now(UTC) - at).total_seconds() // 60)
        message = f"the phone was last heard from {minutes} min ago"
    if not ok:
        message = (
            f"SILENT: {message} and {count} message(s) are waiting. Check that the phone is on, "
            "charged, has signal and data, and that SMS Gateway is running"
            + ("; run `pengaduan android connect`" if at is None else "")
        )
    return {
        "ok": ok,
        "last_seen": at.isoformat() if at else None,
        "device": state["device"],
        "phone_health": state["health"] or None,
        "waiting": count,
        "pings": state["pings"],
        "message": message,
    }


def metrics(services: Services) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    """The phone's last call, pings and waiting messages (absent while Redis or the DB is
    away, or when this service uses no phone)."""
    if not in_use(services.settings):
        return
    try:
        state = last_seen(services)
        count = waiting(services, state["at"])
    except Exception:
        return
    stamp = GaugeMetricFamily(
        "pengaduan_android_last_seen_timestamp_seconds",
        "When the Android gateway phone last called (Unix time)",
    )
    if state["at"] is not None:
        stamp.add_metric([], state["at"].timestamp())
    yield stamp
    yield CounterMetricFamily(
        "pengaduan_android_pings", "Pings from the Android gateway phone", value=state["pings"]
    )
    yield GaugeMetricFamily(
        "pengaduan_android_waiting_messages", "Outbound SMS waiting for the phone", value=count
    )


# --- sending -------------------------------------------------------------------------------


class _TimeoutSession(requests.Session):
    """The client sets no timeout; a phone that stopped answering must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def api_client(session: requests.Session, settings: Settings) -> APIClient:
    """The official client pointed at ANDROID_GATEWAY_URL, over a session with timeouts."""
    return APIClient(
        settings.android_gateway_login,
        settings.android_gateway_password or "",
        base_url=settings.android_gateway_url or "",
        http=RequestsHttpClient(session),
    )


class AndroidSender:
    name = NAME

    def __init__(self, settings: Settings):
        self.settings = settings

    def __repr__(self) -> str:
        return f"AndroidSender(url={self.settings.android_gateway_url!r})"

    def send(self, message: OutboundSms) -> SendResult:
        sim, device = parse_route(message.our_number)
        try:
            with _TimeoutSession() as session, api_client(session, self.settings) as client:
                try:
                    state = client.send(self._message(message, sim, device))
                except APIError as exc:
                    if device is None or exc.status_code != 400:
                        raise
                    # that device may be gone from the relay: any phone of the account will do
                    state = client.send(self._message(message, sim, None))
        except APIError as exc:
            raise send_error(exc) from None
        except requests.JSONDecodeError:
            raise RetryableSendError("unreadable answer from the phone", code="body") from None
        except requests.RequestException as exc:
            raise RetryableSendError(f"network: {type(exc).__name__}", code="network") from None
        except (KeyError, TypeError, ValueError):
            raise RetryableSendError("unreadable answer from the phone", code="body") from None
        refused = [r for r in state.recipients if r.state.value in REFUSED_STATES]
        if refused:
            reason = scrub(refused[0].error or refused[0].state.value)
            raise PermanentSendError(f"phone refused: {reason}", code=refused[0].state.value)
        return SendResult(provider_message_id=state.id, status="sent")

    @staticmethod
    def _message(message: OutboundSms, sim: int | None, device: str | None) -> Message:
        return Message(
            phone_numbers=[message.to],
            text_message=TextMessage(text=message.body),
            sim_number=sim,
            device_id=device,
            with_delivery_report=True,
        )


def send_error(exc: APIError) -> RetryableSendError | PermanentSendError:
    """What a refused send means, by its HTTP status."""
    status = exc.status_code
    detail = exc.response.get("message") if isinstance(exc.response, dict) else None
    text = f"HTTP {status}: {scrub(str(detail or 'refused'), 200)}"
    try:
        outcome = SEND_ERRORS[status]
    except UnknownStatus:
        outcome = RETRY if status is None or status >= 500 else FAIL
    if outcome == RETRY:
        return RetryableSendError(text, code=str(status))
    return PermanentSendError(text, code=str(status))


def _missing(settings: Settings) -> list[str]:
    names = ("android_gateway_url", "android_gateway_login", "android_gateway_password")
    return [name.upper() for name in names if not getattr(settings, name)]


def make_sender(settings: Settings) -> AndroidSender | None:
    """The phone's sender, or None when ANDROID_GATEWAY_URL/LOGIN/PASSWORD are not all set."""
    return None if _missing(settings) else AndroidSender(settings)


# --- `pengaduan android connect` ----------------------------------------------------------


@click.group(NAME)
def cli() -> None:
    """The Android gateway phone (SMS Gateway for Android)."""


@cli.command("connect")
def connect() -> None:
    """Register this service's webhooks on the phone (rerun: replaces them)."""
    from ..cli.common import load_settings, table

    settings = load_settings()
    missing = _missing(settings)
    if missing:
        raise click.ClickException(
            f"{', '.join(missing)} not set: copy them from the Home tab of SMS Gateway for "
            "Android (Local server, or Cloud server) into the settings"
        )
    url = settings.public_base_url.rstrip("/") + PATH
    if not settings.android_webhook_key:
        click.echo(
            "warning: ANDROID_WEBHOOK_KEY is not set, so every webhook will be refused; copy "
            "the signing key from the app (Settings > Webhooks > Signing Key)",
            err=True,
        )
    if url.startswith("http://") and not url.startswith("http://127.0.0.1"):
        click.echo(f"warning: the phone only calls HTTPS addresses, not {url}", err=True)
    try:
        rows = register(settings, url)
    except APIError as exc:
        raise click.ClickException(f"the phone refused: {send_error(exc)}") from None
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise click.ClickException(f"the phone refused: HTTP {status}") from None
    except (KeyError, ValueError):
        raise click.ClickException("the phone's answer was not understood") from None
    except requests.RequestException as exc:
        raise click.ClickException(
            f"could not reach ANDROID_GATEWAY_URL {settings.android_gateway_url} "
            f"({type(exc).__name__}): is the phone on, and the app's server started?"
        ) from None
    click.echo(table(rows, ("event", "id", "url", "action")))


def register(settings: Settings, url: str) -> list[tuple[str, str, str, str]]:
    """Delete our earlier registrations (same URL, or our ids), then register each event."""
    rows = []
    with _TimeoutSession() as session, api_client(session, settings) as client:
        ours = [
            hook
            for hook in client.get_webhooks()
            if hook.id in WEBHOOK_IDS.values()
            or (hook.url == url and hook.event.value in WEBHOOK_IDS)
        ]
        for hook in ours:
            try:
                client.delete_webhook(hook.id)
            except requests.HTTPError as exc:  # already gone is fine
                if exc.response is None or exc.response.status_code != 404:
                    raise
        replaced = {hook.event.value for hook in ours}
        for event, hook_id in WEBHOOK_IDS.items():
            created = client.create_webhook(Webhook(id=hook_id, url=url, event=WebhookEvent(event)))
            action = "replaced" if event in replaced else "created"
            rows.append((event, created.id or hook_id, created.url, action))
    return rows


PROVIDER = Provider(
    name=NAME,
    blueprints=(blueprint,),
    make_sender=make_sender,
    health=health,
    cli=cli,
    metrics=metrics,
    settings=(
        "ANDROID_GATEWAY_URL",
        "ANDROID_GATEWAY_LOGIN",
        "ANDROID_GATEWAY_PASSWORD",
        "ANDROID_WEBHOOK_KEY",
    ),
)
