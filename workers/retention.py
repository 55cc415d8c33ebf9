"""The daily retention run (`casebridge.retention`), from the ticker's `tick`, at most once a day
across all workers: the first tick to set the Redis key runs it."""

from __future__ import annotations

import logging

from casebridge import retention

from .runtime import current

log = logging.getLogger(__name__)
EVERY_SECONDS = 24 * 3600
RETRY_SECONDS = 3600
"""After a run that failed, the next try comes this much later (not on every tick)."""
LOCK = "pengaduan:retention"


def run() -> dict[str, int]:
    """Remove what is past its time now; logs the counts (never content)."""
    rt = current()
    counts = retention.run_retention(rt.db, rt.settings)
    log.info(
        "retention: %s", ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    )
    return counts


def periodic() -> None:
    """The tick's hook: run retention when no worker did in the last day."""
    rt = current()
    if not rt.redis.set(LOCK, "1", nx=True, ex=EVERY_SECONDS):
        return
    try:
        run()
    except Exception as exc:
        log.error("retention run failed (%s); trying again within the hour", type(exc).__name__)
        rt.redis.expire(LOCK, RETRY_SECONDS)
