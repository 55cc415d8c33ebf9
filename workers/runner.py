"""Running jobs: an RQ worker that does not fork per job, plus the ticker for periodic sweeps.

Periodic work (the sweeper, SLA checks) is a few small idempotent queries, so instead of a
separate scheduler process each worker runs a ticker thread that enqueues `tick` at most once
per interval across all workers (a Redis lock decides which one)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from redis import Redis
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from . import heartbeat, queues

log = logging.getLogger(__name__)
TICK_SECONDS = 5


class ThreadWorker(SimpleWorker):
    """Runs jobs in its own process without forking; usable from a non-main thread."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            super()._install_signal_handlers()


def make_worker(redis: Redis, name: str | None = None) -> ThreadWorker:
    return ThreadWorker([queues.queue(redis, q) for q in queues.ALL], connection=redis, name=name)


RECONNECT_DELAYS = (1, 2, 5, 10, 30)
"""Seconds before each new start after Redis went away; the last one repeats."""


def keep_working(
    redis: Redis,
    stopping: threading.Event,
    logging_level: str = "INFO",
    make: Callable[[Redis], ThreadWorker] = make_worker,
) -> None:
    """Work until asked to stop (a signal to the worker, or `stopping`), starting again after a
    growing pause whenever the worker stops on an error: Redis restarting must not leave the
    service without workers."""
    failures = 0
    while not stopping.is_set():
        started = time.monotonic()
        try:
            make(redis).work(burst=False, logging_level=logging_level)
            return  # it stopped because it was asked to
        except Exception as exc:
            if stopping.is_set():
                return
            if time.monotonic() - started > 60:
                failures = 0  # it worked for a while: this is a new outage
            pause = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
            failures += 1
            name = type(exc).__name__
            log.warning("worker stopped (%s: %s); starting again in %s s", name, exc, pause)
            stopping.wait(pause)


class Ticker(threading.Thread):
    """Enqueues the sweeper every few seconds; one enqueue per interval across processes."""

    def __init__(self, redis: Redis, interval: float = TICK_SECONDS):
        super().__init__(name="pengaduan-ticker", daemon=True)
        self.redis = redis
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        self._beat()
        while not self.stopped.wait(self.interval):
            self._beat()
            try:
                if self.redis.set("pengaduan:tick-lock", "1", nx=True, px=int(self.interval * 900)):
                    queues.enqueue(self.redis, queues.TICK)
            except Exception as exc:  # Redis away: try again next interval
                log.warning("ticker could not enqueue the sweeper: %s", exc)

    def _beat(self) -> None:
        with contextlib.suppress(Exception):  # Redis away: the enqueue below says so
            heartbeat.beat(self.redis)

    def stop(self) -> None:
        self.stopped.set()
