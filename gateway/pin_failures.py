"""Wrong PINs per case reference, counted in Redis for an hour (`casebridge.casestatus`)."""

from __future__ import annotations

import contextlib

from redis import Redis

from casebridge.casestatus import LOCK_SECONDS


class RedisPinFailures:
    """Without Redis nothing is counted and nothing is locked: the lookup still answers."""

    def __init__(self, redis: Redis):
        self.redis = redis

    @staticmethod
    def _key(reference: str) -> str:
        return f"pin-fail:{reference}"

    def count(self, reference: str) -> int:
        try:
            return int(self.redis.get(self._key(reference)) or 0)
        except Exception:
            return 0

    def add(self, reference: str) -> None:
        with contextlib.suppress(Exception):
            pipe = self.redis.pipeline()
            pipe.incr(self._key(reference))
            pipe.expire(self._key(reference), LOCK_SECONDS)
            pipe.execute()
