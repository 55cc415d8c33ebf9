"""When a worker was last seen: every worker's ticker writes the time to Redis, so `/healthz`
and `/metrics` can say that no worker has been seen for a while (reports would only wait)."""

from __future__ import annotations

import time

from redis import Redis

KEY = "pengaduan:worker-seen"
SILENT_AFTER = 60
"""Seconds without a worker before it is a warning."""


def beat(redis: Redis) -> None:
    redis.set(KEY, f"{time.time():.3f}", ex=7 * 86400)


def silent_for(redis: Redis) -> float | None:
    """Seconds since a worker was last seen; None when none ever was (in the last week)."""
    raw = redis.get(KEY)
    if raw is None:
        return None
    try:
        return max(0.0, time.time() - float(raw))
    except ValueError:
        return None
