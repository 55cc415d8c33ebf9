"""Missed-call callback: where credit is scarce, a caller rings, we refuse the call (no charge)
and call them back, at most once per number per hour; within that hour we simply answer.

Redis names a number by its blind index and holds it sealed (the callback job's argument too):
a copy of Redis shows no caller's number."""

from __future__ import annotations

import contextlib
import logging

from redis import Redis

from casebridge.datakeys import DataKeys
from casebridge.sealed import open_text
from workers import queues

from ..services import Services
from . import metrics

log = logging.getLogger(__name__)
THROTTLE_SECONDS = 3600


def throttle_key(who: str) -> str:
    """The hour's claim of a number, by its blind index (`who`)."""
    return f"voice:callback:{who}"


def _outbound_key(provider: str, call_id: str) -> str:
    return f"voice:outbound:{provider}:{call_id}"


def remember_outbound(
    redis: Redis, keys: DataKeys, provider: str, call_id: str, phone: str
) -> None:
    """Who a call we placed is for, in case the provider's webhook does not say it plainly."""
    redis.set(_outbound_key(provider, call_id), keys.encrypt(phone), ex=THROTTLE_SECONDS)


def outbound_phone(redis: Redis, keys: DataKeys, provider: str, call_id: str) -> str | None:
    return open_text(keys, redis.get(_outbound_key(provider, call_id)))


def request(services: Services, provider: str, phone: str) -> bool:
    """Claim this hour's callback for the number and queue the outbound call. False (answer
    the call as usual) when already called back within the hour or when it cannot be queued."""
    redis, keys = services.redis, services.settings.data_keys
    claim = throttle_key(keys.index(phone))
    if not redis.set(claim, provider, nx=True, ex=THROTTLE_SECONDS):
        metrics.count(redis, "callbacks", provider, "throttled")
        return False
    sealed = keys.encrypt(phone)  # RQ keeps a job's arguments in Redis
    if not queues.enqueue(redis, queues.CALL_BACK, provider, sealed):  # answer the call instead
        with contextlib.suppress(Exception):
            redis.delete(claim)
        return False
    metrics.count(redis, "callbacks", provider, "requested")
    return True
