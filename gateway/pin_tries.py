"""PIN tries counted in Redis before they are checked (`casebridge.casestatus.PinTries`).

One transaction per try increments three counters (phone and reference, reference, phone),
each living `LOCK_SECONDS` from its first try: concurrent tries each get their own count, so
no more than the limit are ever checked. Without Redis no PIN is checked (the lookup answers
"locked"); a reporter's own phone needs no PIN and still finds its cases. A phone is named by
its blind index (`DataKeys.index`): the counters show no number."""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import RedisError

from casebridge.casestatus import (
    LOCK_SECONDS,
    MAX_TRIES,
    MAX_TRIES_PER_PHONE,
    MAX_TRIES_PER_REFERENCE,
)
from casebridge.datakeys import DataKeys

log = logging.getLogger(__name__)


def keys(reference: str, who: str) -> tuple[str, str, str]:
    """The counters of a try: this phone (its blind index, `who`) on this reference, the
    reference, the phone."""
    return (
        f"pin-try:{reference}:{who}",
        f"pin-try:ref:{reference}",
        f"pin-try:phone:{who}",
    )


LIMITS = (MAX_TRIES, MAX_TRIES_PER_REFERENCE, MAX_TRIES_PER_PHONE)


class RedisPinTries:
    def __init__(self, redis: Redis, data_keys: DataKeys):
        self.redis = redis
        self.data_keys = data_keys

    def take(self, reference: str, phone: str) -> bool:
        pipe = self.redis.pipeline(transaction=True)
        for key in keys(reference, self.data_keys.index(phone)):
            pipe.set(key, 0, ex=LOCK_SECONDS, nx=True)  # the window starts with the first try
            pipe.incr(key)
        try:
            counts = pipe.execute()[1::2]
        except RedisError as exc:
            log.warning("PIN try not counted, so not checked (Redis unavailable): %s", exc)
            return False
        return all(count <= limit for count, limit in zip(counts, LIMITS, strict=True))
