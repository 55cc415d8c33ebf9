"""Prometheus metrics: requests by endpoint and status with latency, plus the state of the
pipeline (intakes, cases by status, outbox by status, queue depth) read at scrape time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select

from casebridge.models import Case, Intake, Message
from casebridge.models.intakes import IntakeState
from workers import heartbeat, queues

from . import failures
from .services import Services

STARTED = "pengaduan.started"
"""Where a request's start time is kept in its WSGI environ."""
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class PipelineCollector:
    def __init__(self, services: Services, extra: list):
        self.services = services
        self.extra = extra

    def collect(self) -> Iterator[GaugeMetricFamily]:
        db = self.services.db
        try:
            with db.session() as s:
                intakes = dict(
                    s.execute(select(Intake.state, func.count()).group_by(Intake.state)).all()
                )
                cases = dict(
                    s.execute(select(Case.status, func.count()).group_by(Case.status)).all()
                )
                outbox = dict(
                    s.execute(
                        select(Message.status, func.count())
                        .where(Message.direction == "out")
                        .group_by(Message.status)
                    ).all()
                )
        except Exception:
            intakes = cases = outbox = {}
        else:
            intakes = {state.value: 0 for state in IntakeState} | intakes  # failed: 0 to alert on
        for name, doc, label, values in (
            ("pengaduan_intakes", "Intakes by state", "state", intakes),
            ("pengaduan_cases", "Cases by status", "status", cases),
            ("pengaduan_outbox_messages", "Outbound messages by status", "status", outbox),
        ):
            family = GaugeMetricFamily(name, doc, labels=[label])
            for key, count in sorted(values.items()):
                family.add_metric([key], count)
            yield family
        depth = GaugeMetricFamily(
            "pengaduan_queue_depth", "Jobs waiting per queue", labels=["queue"]
        )
        try:
            for name in queues.ALL:
                depth.add_metric([name], self.services.redis.llen(f"rq:queue:{name}"))
        except Exception:  # noqa: S110 - Redis down: the gauge is simply absent
            pass
        yield depth
        seen = GaugeMetricFamily(
            "pengaduan_worker_silent_seconds",
            "Seconds since a worker was last seen (absent: none in the last week)",
        )
        try:
            silent = heartbeat.silent_for(self.services.redis)
            if silent is not None:
                seen.add_metric([], round(silent, 1))
        except Exception:  # noqa: S110 - Redis down: the gauge is simply absent
            pass
        yield seen
        failed = GaugeMetricFamily(
            "pengaduan_failed_jobs",
            "Jobs failed after their last retry, per queue",
            labels=["queue"],
        )
        try:
            for name, count in failures.failed_jobs(self.services.redis).items():
                failed.add_metric([name], count)
        except Exception:  # noqa: S110 - Redis down: the gauge is simply absent
            pass
        yield failed
        for collect in self.extra:
            yield from collect(self.services)


class RequestMetrics:
    """Requests by endpoint, method and status, and latency by endpoint. The labelled
    children are looked up once per label set and kept: a request pays two dict lookups."""

    def __init__(self, registry: CollectorRegistry):
        self.requests = Counter(
            "pengaduan_http_requests",
            "HTTP requests",
            ["endpoint", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "pengaduan_http_request_seconds",
            "HTTP request latency",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._histograms: dict[str, Any] = {}

    def observe(self, endpoint: str, method: str, status: int, seconds: float | None) -> None:
        counter = self._counters.get((endpoint, method, status))
        if counter is None:
            counter = self.requests.labels(endpoint, method, str(status))
            self._counters[(endpoint, method, status)] = counter
        counter.inc()
        if seconds is not None:
            histogram = self._histograms.get(endpoint)
            if histogram is None:
                histogram = self._histograms[endpoint] = self.latency.labels(endpoint)
            histogram.observe(seconds)


def install(app: Flask, services: Services) -> CollectorRegistry:
    registry = CollectorRegistry()
    requests = RequestMetrics(registry)
    extra: list = []
    registry.register(PipelineCollector(services, extra))
    app.extensions["metrics_registry"] = registry
    app.extensions["metrics_extra"] = extra
    app.extensions["metrics_observe"] = requests.observe  # for gateway.ussd.fastpath

    @app.before_request
    def _start_timer() -> None:
        request.environ[STARTED] = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        environ = request.environ
        started = environ.pop(STARTED, None)
        seconds = None if started is None else time.perf_counter() - started
        requests.observe(
            request.endpoint or "unknown", environ["REQUEST_METHOD"], response.status_code, seconds
        )
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

    return registry
