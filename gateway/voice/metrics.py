"""Voice counters, kept in Redis so that every gateway process adds to the same numbers, and
exposed on `/metrics` through the app's `metrics_extra` hook at scrape time."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask
from prometheus_client.core import CounterMetricFamily
from redis import Redis

from ..services import Services

log = logging.getLogger(__name__)
KEY = "voice:metrics"
# name -> (help, label names); a counter's fields are "name|label1|label2…"
COUNTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "started": ("Voice calls started", ("provider", "direction")),
    "completed": ("Voice calls whose end was recorded", ("provider",)),
    "hangup": ("Voice calls ended, by hang-up cause", ("provider", "cause")),
    "seconds": ("Seconds of ended voice calls", ("provider",)),
    "reports": ("Reports left on the voice line", ("provider",)),
    "callbacks": ("Missed-call callbacks, by outcome", ("provider", "outcome")),
}
SEPARATOR = "|"


def count(redis: Redis, name: str, *labels: str, by: int = 1) -> None:
    """Add to a counter; a metric is never worth failing a call for."""
    if name not in COUNTERS or len(labels) != len(COUNTERS[name][1]):
        raise ValueError(f"unknown voice counter {name!r} with labels {labels!r}")
    field = SEPARATOR.join((name, *(label.replace(SEPARATOR, "_") for label in labels)))
    try:
        redis.hincrby(KEY, field, by)
    except Exception as exc:
        log.warning("voice metric %s not counted: %s", name, exc)


def collect(services: Services) -> Iterator[CounterMetricFamily]:
    """The counters as Prometheus families (absent while Redis is away)."""
    try:
        raw = services.redis.hgetall(KEY)
    except Exception:
        return
    families = {
        name: CounterMetricFamily(f"pengaduan_voice_{name}", doc, labels=list(labels))
        for name, (doc, labels) in COUNTERS.items()
    }
    for field, value in sorted(raw.items()):
        name, *labels = (field.decode() if isinstance(field, bytes) else field).split(SEPARATOR)
        family = families.get(name)
        if family is not None and len(labels) == len(COUNTERS[name][1]):
            family.add_metric(labels, int(value))
    yield from families.values()


def install(app: Flask) -> None:
    """Add the collector to the app's scrape-time hook, once however many blueprints ask."""
    extra = app.extensions.get("metrics_extra")
    if extra is not None and collect not in extra:
        extra.append(collect)
