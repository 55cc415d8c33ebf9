"""Every job the service enqueues, in one place: its function, queue, id, retries and how long
RQ keeps its result (as rq's own `defaults.py` keeps its numbers), and the one way to enqueue.

Each job takes plain ids and is safe to run twice. The row a job works on is already committed
when it is enqueued (persist before acknowledge), so a Redis that is away loses nothing: the
enqueue is logged and the sweeper (`workers.jobs.tick`) finds the row later."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis import Redis
from rq import Queue, Retry

log = logging.getLogger(__name__)

INTAKE = "intake"
"""Reports to turn into cases."""
SMS_IN = "sms_in"
"""Inbound SMS to read (a dialogue turn, a command, a reply to a case)."""
SMS_OUT = "messages"
"""Outbound SMS to send (the outbox)."""
MEDIA = "media"
"""Files reporters sent, to download from their provider."""
VOICE = "voice"
"""Voice-line work: calling back a missed call, copying a recording."""
FORWARD = "forward"
"""Telling organisations of their cases (SMS, webhook, email)."""
MAINTENANCE = "maintenance"
"""The sweeper's tick."""
ALL = (INTAKE, SMS_IN, SMS_OUT, MEDIA, VOICE, FORWARD, MAINTENANCE)
"""In priority order: a worker takes reports first, then what people wrote, then replies."""

KEEP_RESULT = 600
"""Seconds RQ keeps a finished job."""
KEEP_FAILED = 7 * 86400
"""Seconds RQ keeps a failed job, for an operator to look at (`rq info`)."""


@dataclass(frozen=True)
class Job:
    """One kind of job."""

    function: str
    queue: str
    what: str
    """What the job carries, for the log ("inbound SMS 12 saved but not enqueued")."""
    job_id: str | None = None
    """Format of the job id (`{0}` the first argument): RQ then runs it once however often it
    is enqueued while waiting."""
    retry: tuple[int, ...] = ()
    """Seconds before each new try after an exception (none: the row's own state retries)."""
    result_ttl: int = KEEP_RESULT
    failure_ttl: int = KEEP_FAILED
    swept: bool = True
    """A sweeper re-enqueues the row when this enqueue fails."""


PROCESS_INTAKE = Job(
    "workers.jobs.process_intake", INTAKE, "intake", "intake-{0}", retry=(5, 30, 120)
)
HANDLE_SMS = Job(
    "gateway.sms.jobs.handle_inbound", SMS_IN, "inbound SMS", "sms-in-{0}", retry=(5, 30, 120)
)
SEND_SMS = Job("workers.jobs.send_message", SMS_OUT, "SMS")
FORWARD_CASE = Job("workers.forwarding.forward", FORWARD, "forward")
CALL_BACK = Job(
    "gateway.voice.jobs.call_back",
    VOICE,
    "missed-call callback",
    retry=(15, 60),
    failure_ttl=86400,
    swept=False,
)
STORE_RECORDING = Job(
    "gateway.voice.jobs.store_recording",
    VOICE,
    "copy of the recording",
    "recording-{1}",
    retry=(30, 120, 600),
    swept=False,
)
DOWNLOAD_MEDIA = Job("workers.media.download", MEDIA, "attachment", "media-{0}")
TICK = Job("workers.jobs.tick", MAINTENANCE, "tick", "tick", result_ttl=60, swept=False)


def queue(redis: Redis, name: str) -> Queue:
    return Queue(name, connection=redis)


def enqueue(redis: Redis, job: Job, *args: object) -> bool:
    """Enqueue one job; False (logged, never raised) when Redis cannot take it now."""
    try:
        queue(redis, job.queue).enqueue(
            job.function,
            *args,
            job_id=job.job_id.format(*args) if job.job_id else None,
            retry=Retry(max=len(job.retry), interval=list(job.retry)) if job.retry else None,
            result_ttl=job.result_ttl,
            failure_ttl=job.failure_ttl,
        )
        return True
    except Exception as exc:
        later = "the sweeper will enqueue it" if job.swept else "not retried"
        log.warning("%s %s not enqueued (%s); %s", job.what, args[0] if args else "", exc, later)
        return False


def enqueue_each(redis: Redis, job: Job, ids: list[int]) -> None:
    """Enqueue a job per id (after the rows were committed)."""
    for row_id in ids:
        enqueue(redis, job, row_id)
