"""Queue names and enqueue helpers (plain ids as arguments; jobs are safe to run twice)."""

from __future__ import annotations

from redis import Redis
from rq import Queue, Retry

INTAKE = "intake"
MESSAGES = "messages"
FORWARD = "forward"
MAINTENANCE = "maintenance"
ALL = (INTAKE, MESSAGES, FORWARD, MAINTENANCE)
"""In priority order: a worker takes reports first, then messages, then forwarding."""


def queue(redis: Redis, name: str) -> Queue:
    return Queue(name, connection=redis)


def enqueue_intake(redis: Redis, intake_id: int) -> None:
    queue(redis, INTAKE).enqueue(
        "workers.jobs.process_intake",
        intake_id,
        job_id=f"intake-{intake_id}",
        retry=Retry(max=3, interval=[5, 30, 120]),
        result_ttl=600,
        failure_ttl=7 * 86400,
    )


def enqueue_message(redis: Redis, message_id: int) -> None:
    queue(redis, MESSAGES).enqueue(
        "workers.jobs.send_message", message_id, result_ttl=600, failure_ttl=7 * 86400
    )


def enqueue_tick(redis: Redis) -> None:
    queue(redis, MAINTENANCE).enqueue("workers.jobs.tick", result_ttl=60, job_id="tick")
