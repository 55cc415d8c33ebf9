"""The phone's state, in Redis (shared by every gateway process): when it last called, its
pings, and the messages waiting for it, for `/healthz` and `/metrics`."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, or_, select

from casebridge.models import Message as Row
from casebridge.models.messages import MessageStatus
from casebridge.settings import Settings

from ...services import Services
from .protocol import NAME, PING

log = logging.getLogger(__name__)

SILENT_AFTER = timedelta(minutes=15)
WAITING = (MessageStatus.QUEUED, MessageStatus.RETRYING, MessageStatus.SENDING)
HORIZON = timedelta(days=2)
"""How far back a row the relay accepted after the phone went silent still counts as waiting."""

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
                or_(Row.status.in_(WAITING), (Row.status == MessageStatus.SENT) & accepted),
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
