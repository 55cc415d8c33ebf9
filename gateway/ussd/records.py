"""The end of a USSD session: recorded once (`ChannelSession`) and counted for metrics."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casebridge.channel_events import SessionEnd
from casebridge.models import ChannelSession, utcnow

from ..services import Services
from .store import Store, UssdSession

log = logging.getLogger(__name__)

OUTCOMES = ("completed", "dropped", "failed")
"""completed: the session reached its last screen; dropped: it ended while a screen waited
for input; failed: it ended because of an error on our side."""
UNKNOWN_SCREEN = "unknown"


def _stored(store: Store, session_id: str, phone: str | None) -> UssdSession | None:
    """The session of that phone (a session is its phone's: `gateway.ussd.store`)."""
    if not phone:
        return None
    try:
        return store.peek(session_id, phone)
    except RedisError as exc:
        log.warning("USSD session end without its session (Redis unavailable): %s", exc)
        return None


def record_end(services: Services, end: SessionEnd) -> bool:
    """Record the session's end once (a repeated notification changes nothing); True when
    it was new. The session's last screen comes from the stored session."""
    if end.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {end.outcome!r}; known: {', '.join(OUTCOMES)}")
    store = Store(services.redis, end.provider, services.settings.data_keys)
    stored = _stored(store, end.session_id, end.phone)
    screen = (stored.at if stored else None) or UNKNOWN_SCREEN
    duration = end.duration_ms
    if duration is None and stored is not None:
        duration = max(int(utcnow().timestamp() * 1000) - stored.started_ms, 0)
    row = ChannelSession(
        channel="ussd",
        provider=end.provider,
        session_id=end.session_id,
        phone=(stored.phone if stored else None) or end.phone,
        status=end.outcome,
        hops=end.hops if end.hops is not None else (stored.hops if stored else None),
        duration_ms=duration,
        last_screen=screen[:60],
        case_reference=stored.reference if stored else None,
        meta=end.meta or None,
        ended_at=utcnow(),
    )
    with services.db.session() as session:
        seen = session.scalar(
            select(ChannelSession.id).where(
                ChannelSession.provider == end.provider,
                ChannelSession.session_id == end.session_id,
            )
        )
        if seen is not None:
            return False
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return False
    try:
        store.finish(end.session_id, end.phone, end.outcome, screen)
    except RedisError as exc:
        log.warning("USSD session end recorded but not counted (Redis unavailable): %s", exc)
    return True
