"""Running jobs: an RQ worker that does not fork per job, plus the ticker for periodic sweeps.

Periodic work (the sweeper, SLA checks) is a few small idempotent queries, so instead of a
separate scheduler process each worker runs a ticker thread that enqueues `tick` at most once
per interval across all workers (a Redis lock decides which one)."""

from __future__ import annotations

import logging
import threading

from redis import Redis
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from . import queues

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


class Ticker(threading.Thread):
    """Enqueues the sweeper every few seconds; one enqueue per interval across processes."""

    def __init__(self, redis: Redis, interval: float = TICK_SECONDS):
        super().__init__(name="pengaduan-ticker", daemon=True)
        self.redis = redis
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                if self.redis.set("pengaduan:tick-lock", "1", nx=True, px=int(self.interval * 900)):
                    queues.enqueue(self.redis, queues.TICK)
            except Exception as exc:  # Redis away: try again next interval
                log.warning("ticker could not enqueue the sweeper: %s", exc)

    def stop(self) -> None:
        self.stopped.set()
