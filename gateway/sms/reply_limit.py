"""How many replies one phone gets. Every inbound SMS may trigger a paid reply (INFO, a
dialogue question, a caseworker command's answer), so a phone is answered at most LIMITS
times per moving window (the `limits` library, in the shared Redis); past that its messages
are still read and kept, only not answered."""

from __future__ import annotations

import logging

from limits import parse_many
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis import Redis

log = logging.getLogger(__name__)

LIMITS = parse_many("20 per hour; 60 per day")
"""A whole report dialogue fits several times in the first."""
_limiters: dict[int, MovingWindowRateLimiter] = {}


def _limiter(redis: Redis) -> MovingWindowRateLimiter:
    pool = redis.connection_pool
    if id(pool) not in _limiters:
        storage = RedisStorage("redis://", connection_pool=pool, key_prefix="ratelimit:sms")
        _limiters[id(pool)] = MovingWindowRateLimiter(storage)
    return _limiters[id(pool)]


def allow(redis: Redis, who: str) -> bool:
    """Count one reply to the phone whose blind index is `who` (Redis's keys show no number);
    False once one of its windows is full."""
    limiter = _limiter(redis)
    if all([limiter.hit(limit, "reply", who) for limit in LIMITS]):
        return True
    log.warning("SMS reply withheld: the phone's reply limit is reached")
    return False
