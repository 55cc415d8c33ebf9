"""The phone's state, in Redis (shared by every gateway process): when it last called, its
pings, and the messages waiting for it, for `/healthz` and `/metrics`."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from redis import Redis
from sqlalchemy import ColumnElement, func, or_, select

from casebridge.models import GatewayPhone, Organisation
from casebridge.models import Message as Row
from casebridge.models.messages import MessageStatus
from casebridge.settings import Settings

from ...services import Services
from .protocol import DEFAULT, NAME, PING

log = logging.getLogger(__name__)

SILENT_AFTER = timedelta(minutes=15)
WAITING = (MessageStatus.QUEUED, MessageStatus.RETRYING, MessageStatus.SENDING)
HORIZON = timedelta(days=2)
"""How far back a row the relay accepted after the phone went silent still counts as waiting."""

PHONE_KEY, PINGS_KEY, EVENT_KEY = "android:phone", "android:pings", "android:event:"
BATTERY_CHECKS = ("battery:level",)
SIGNAL_CHECKS = ("connection:signal", "connection:cellular", "connection:status")
"""The ping's health checks whose `observedValue` we show, as the phone reports them."""


def phone_key(phone: str = DEFAULT) -> str:
    """The Redis hash of a phone's state (the default phone keeps its historical key)."""
    return PHONE_KEY if phone == DEFAULT else f"{PHONE_KEY}:{phone}"


def _observed(checks: object, names: tuple[str, ...]) -> str | None:
    for name in names:
        check = checks.get(name) if isinstance(checks, dict) else None
        if isinstance(check, dict) and check.get("observedValue") is not None:
            return str(check["observedValue"])[:20]
    return None


def seen(services: Services, envelope: Mapping[str, Any], phone: str = DEFAULT) -> None:
    """Record that the phone called (any signed event); count each ping once."""
    state = {
        "at": repr(time.time()),
        "device": str(envelope.get("deviceId") or "")[:64],
        "event": str(envelope["event"])[:40],
    }
    health = (envelope.get("payload") or {}).get("health")
    if envelope["event"] == PING and isinstance(health, dict):
        state["health"] = str(health.get("status", ""))[:20]  # the app's own check: pass/warn/fail
        for field, names in (("battery", BATTERY_CHECKS), ("signal", SIGNAL_CHECKS)):
            value = _observed(health.get("checks"), names)
            if value is not None:
                state[field] = value
    try:
        services.redis.hset(phone_key(phone), mapping=state)
        event_id = str(envelope.get("id") or "")
        if envelope["event"] == PING and (
            not event_id or services.redis.set(EVENT_KEY + event_id, 1, nx=True, ex=3 * 86400)
        ):
            services.redis.incr(PINGS_KEY if phone == DEFAULT else f"{PINGS_KEY}:{phone}")
    except Exception as exc:  # the phone's state is never worth refusing a webhook for
        log.warning("Android gateway phone state not recorded: %s", exc)


def _str(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def last_seen(services: Services, phone: str = DEFAULT) -> dict[str, Any]:
    """{"at": datetime | None, "device", "health", "battery", "signal", "pings"} as recorded."""
    raw = {_str(k): _str(v) for k, v in services.redis.hgetall(phone_key(phone)).items()}
    at = datetime.fromtimestamp(float(raw["at"]), UTC) if raw.get("at") else None
    pings = int(services.redis.get(PINGS_KEY if phone == DEFAULT else f"{PINGS_KEY}:{phone}") or 0)
    return {
        "at": at,
        "device": raw.get("device") or None,
        "health": raw.get("health"),
        "battery": raw.get("battery"),
        "signal": raw.get("signal"),
        "pings": pings,
    }


def of_phone(phone: str) -> ColumnElement[bool]:
    """Outbound rows routed to this phone (its name leads `our_number`; the default phone's
    routes have no name)."""
    if phone == DEFAULT:
        return or_(Row.our_number.is_(None), ~Row.our_number.contains("/"))
    return Row.our_number.startswith(f"{phone}/", autoescape=True)


def waiting(services: Services, since: datetime | None, phone: str | None = None) -> int:
    """Outbound messages waiting for the phone(s): not yet handed over, or handed to the relay
    after the phone was last heard from (a phone that sent them would have said so)."""
    now = datetime.now(UTC)
    accepted = Row.sent_at >= max(since or now - HORIZON, now - HORIZON)
    which = () if phone is None else (of_phone(phone),)
    with services.db.session() as session:
        return session.scalar(
            select(func.count(Row.id)).where(
                Row.direction == "out",
                Row.provider == NAME,
                or_(Row.status.in_(WAITING), (Row.status == MessageStatus.SENT) & accepted),
                *which,
            )
        )


# --- the daily count: per phone, per local day, taken atomically ----------------------------

_TAKE = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[1] ~= '' and n >= tonumber(ARGV[1]) then return -1 end
n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 172800)
return n
"""


def day_key(phone: str, timezone: str, now: datetime | None = None) -> str:
    local = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone))
    return f"android:sent:{phone}:{local.date().isoformat()}"


def sent_today(redis: Redis, phone: str, timezone: str) -> int:
    return int(redis.get(day_key(phone, timezone)) or 0)


def take_slot(redis: Redis, phone: str, timezone: str, limit: int | None) -> bool:
    """Count one message against today's limit; False (nothing counted) when it is reached.
    One Lua script: two workers cannot both take the last slot."""
    key = day_key(phone, timezone)
    return redis.eval(_TAKE, 1, key, "" if limit is None else str(limit)) != -1


def give_back(redis: Redis, phone: str, timezone: str) -> None:
    """A taken slot whose message did not leave."""
    redis.decr(day_key(phone, timezone))


def in_use(settings: Settings) -> bool:
    return bool(
        settings.android_gateway_url
        or settings.android_webhook_key
        or settings.sms_provider == NAME
    )


def overview(services: Services) -> list[dict[str, Any]]:
    """Every phone (the default one when configured, then each registered row, disabled ones
    too) with what the phone reported and what waits for it: for `phones list`, `/healthz`,
    `/metrics` and the dashboard. Never a secret."""
    settings = services.settings
    silent_after = timedelta(minutes=settings.phone_silent_minutes)
    now = datetime.now(UTC)
    with services.db.session() as session:
        rows = session.execute(
            select(GatewayPhone, Organisation.code)
            .outerjoin(Organisation, Organisation.id == GatewayPhone.organisation_id)
            .order_by(GatewayPhone.name)
        ).all()
        listed = [(r.name, code, r.daily_limit, r.timezone, r.quiet, r.enabled) for r, code in rows]
    if settings.android_gateway_url:
        listed.insert(0, (DEFAULT, None, None, "Asia/Jakarta", None, True))
    out = []
    for name, org, limit, timezone, quiet, enabled in listed:
        state = last_seen(services, name)
        at = state["at"]
        out.append(
            {
                "name": name,
                "organisation": org,
                "last_seen": at,
                "battery": state["battery"],
                "signal": state["signal"],
                "sent_today": sent_today(services.redis, name, timezone),
                "daily_limit": limit,
                "quiet": quiet,
                "waiting": waiting(services, at, name),
                "enabled": enabled,
                "up": enabled and at is not None and now - at <= silent_after,
            }
        )
    return out


def _registered_health(services: Services) -> dict[str, dict[str, Any]]:
    return {
        p["name"]: {
            "up": p["up"],
            "last_seen": p["last_seen"].isoformat() if p["last_seen"] else None,
            "battery": p["battery"],
            "signal": p["signal"],
            "sent_today": p["sent_today"],
            "daily_limit": p["daily_limit"],
            "waiting": p["waiting"],
        }
        for p in overview(services)
        if p["name"] != DEFAULT and p["enabled"]
    }


def health(services: Services) -> dict[str, Any] | None:
    """The phones for `/healthz`: the default phone is not ok when it has been silent for more
    than 15 minutes while messages wait; `phones` has each registered phone, up or down, and
    a registered phone that is down makes the service `degraded`. None when this service uses
    no phone."""
    registered = _registered_health(services)
    if not in_use(services.settings):
        if not registered:
            return None
        return {"ok": True, "message": "every phone is up"} | _with_registered(registered)
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
    } | _with_registered(registered)


def _with_registered(registered: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if not registered:
        return {}
    down = sorted(n for n, p in registered.items() if not p["up"])
    degraded = f"phone(s) down: {', '.join(down)}" if down else None
    return {"phones": registered, "degraded": degraded}


def metrics(services: Services) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
    """The phone's last call, pings and waiting messages (absent while Redis or the DB is
    away, or when this service uses no phone)."""
    yield from phone_metrics(services)
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


def phone_metrics(services: Services) -> Iterator[GaugeMetricFamily]:
    """Per phone: up (1) or down (0), sent today, its daily limit, waiting messages."""
    try:
        phones = [p for p in overview(services) if p["enabled"]]
    except Exception:
        return
    if not phones:
        return
    families = {
        "up": GaugeMetricFamily(
            "pengaduan_android_phone_up",
            "Gateway phone heard from recently (1) or down (0)",
            labels=["phone"],
        ),
        "sent_today": GaugeMetricFamily(
            "pengaduan_android_phone_sent_today",
            "SMS sent today (phone's local day)",
            labels=["phone"],
        ),
        "waiting": GaugeMetricFamily(
            "pengaduan_android_phone_waiting_messages",
            "Outbound SMS waiting for the phone",
            labels=["phone"],
        ),
    }
    for p in phones:
        for field, family in families.items():
            family.add_metric([p["name"]], float(p[field]))
    yield from families.values()
