"""Missed-call callback: where credit is scarce, a caller rings, we refuse the call (no charge)
and call them back, at most once per number per hour; within that hour we simply answer."""

from __future__ import annotations

import contextlib
import logging

from redis import Redis

from workers import queues

from ..services import Services
from . import metrics

log = logging.getLogger(__name__)
THROTTLE_SECONDS = 3600


def throttle_key(phone: str) -> str:
    return f"voice:callback:{phone}"


def _outbound_key(provider: str, call_id: str) -> str:
    return f"voice:outbound:{provider}:{call_id}"


def remember_outbound(redis: Redis, provider: str, call_id: str, phone: str) -> None:
    """Who a call we placed is for, in case the provider's webhook does not say it plainly."""
    redis.set(_outbound_key(provider, call_id), phone, ex=THROTTLE_SECONDS)


def outbound_phone(redis: Redis, provider: str, call_id: str) -> str | None:
    raw = redis.get(_outbound_key(provider, call_id))
    return raw.decode() if isinstance(raw, bytes) else raw


def request(services: Services, provider: str, phone: str) -> bool:
    """Claim this hour's callback for the number and queue the outbound call. False (answer
    the call as usual) when already called back within the hour or when it cannot be queued."""
    redis = services.redis
    if not redis.set(throttle_key(phone), provider, nx=True, ex=THROTTLE_SECONDS):
        metrics.count(redis, "callbacks", provider, "throttled")
        return False
    if not queues.enqueue(redis, queues.CALL_BACK, provider, phone):  # answer the call instead
        with contextlib.suppress(Exception):
            redis.delete(throttle_key(phone))
        return False
    metrics.count(redis, "callbacks", provider, "requested")
    return True
