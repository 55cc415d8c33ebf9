"""USSD metrics for `/metrics`: sessions started, and ended by outcome and last screen.

The counters live in Redis (`store.STATS_KEY`), so every gateway process counts into the same
numbers; they are read when Prometheus scrapes.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask
from prometheus_client.core import CounterMetricFamily
from redis.exceptions import RedisError

from ..services import Services
from .store import STATS_KEY


def collect(services: Services) -> Iterator[CounterMetricFamily]:
    started = CounterMetricFamily(
        "pengaduan_ussd_sessions_started", "USSD sessions started", labels=["provider"]
    )
    ended = CounterMetricFamily(
        "pengaduan_ussd_sessions_ended",
        "USSD sessions ended: completed, dropped (while a screen waited) or failed, by the "
        "last screen shown",
        labels=["provider", "outcome", "screen"],
    )
    try:
        counts = services.redis.hgetall(STATS_KEY)
    except RedisError:
        counts = {}
    for raw, value in sorted(counts.items()):
        parts = raw.decode(errors="replace").split("|")
        if parts[0] == "started" and len(parts) == 2:
            started.add_metric(parts[1:], int(value))
        elif parts[0] == "ended" and len(parts) == 4:
            ended.add_metric(parts[1:], int(value))
    yield started
    yield ended


def install(app: Flask) -> None:
    """Add the USSD counters to the app's scrape (once, however many adapters ask)."""
    extra = app.extensions.get("metrics_extra")
    if extra is not None and collect not in extra:
        extra.append(collect)
