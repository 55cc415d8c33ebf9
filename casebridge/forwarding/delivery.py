"""A Forward row's life: claimed for an attempt, then delivered, retried with backoff for a
day, skipped or failed. Every attempt and its result is written on the case's timeline.
`attempt` is one try at one row: read what to send, send it outside any transaction, record
how it went; safe to run twice (only one runner can claim a row)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..attempts import Backoff, Durable
from ..db import Database
from ..models import Case, Forward, utcnow
from ..models.forwards import ForwardStatus
from ..outbox import queue
from ..settings import Settings
from ..timeline import record
from . import envelope
from .base import Forwarder, Result
from .schedule import ACTOR

log = logging.getLogger(__name__)
RETRY_DELAYS = (30, 120, 600, 1800, 3600, 7200, 14400, 28800, 30000)
"""Seconds before each retry; together about a day, after which the forward has failed."""
FORWARDS = Durable(
    Forward,
    ready=(ForwardStatus.PENDING, ForwardStatus.RETRYING),
    sending=ForwardStatus.SENDING,
    retrying=ForwardStatus.RETRYING,
    backoff=Backoff(RETRY_DELAYS),
)


def claim(session: Session, forward_id: int) -> Forward | None:
    """Take a forward for one attempt; None if another worker has it or it is done."""
    return FORWARDS.claim(session, forward_id)


def due(session: Session, limit: int = 500) -> list[int]:
    """Forwards whose (next) attempt is due, including attempts left hanging in `sending`."""
    return FORWARDS.due(session, limit)


def _when(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _label(fwd: Forward) -> str:
    return f"{fwd.channel} {fwd.event} to {fwd.organisation.code}"


def skip(session: Session, fwd: Forward, reason: str) -> None:
    """Nothing to send any more (the case moved on, the channel is gone): say so and stop."""
    fwd.status, fwd.error, fwd.next_attempt_at = ForwardStatus.SKIPPED, reason[:500], None
    case = session.get(Case, fwd.case_id)
    record(
        session,
        case,
        "forward_skipped",
        f"{ACTOR}:{fwd.channel}",
        f"{_label(fwd)} not sent: {reason}",
        organisation_id=fwd.organisation_id,
        data={"forward_id": fwd.id},
    )


def finish(session: Session, fwd: Forward, result: Result, sms_provider: str) -> list[int]:
    """Record an attempt's result on the row and the timeline; returns outbox message ids that
    were queued (SMS forwards)."""
    case = session.get(Case, fwd.case_id)
    attempt = fwd.attempts
    note = f"{_label(fwd)}, attempt {attempt}: {result.detail}"
    kind = "forward"
    message_ids: list[int] = []
    if result.ok:
        fwd.status, fwd.error, fwd.next_attempt_at = ForwardStatus.DELIVERED, None, None
        fwd.delivered_at = utcnow()
        for phone, text in result.outbox:
            message = queue(session, phone, text, "case_forward", sms_provider, case=case)
            if message is not None:
                message_ids.append(message.id)
    else:
        fwd.error = result.detail[:500]
        wait = FORWARDS.retry_later(fwd) if result.retry else None
        if wait is not None:
            note += f"; next attempt in {_when(int(wait.total_seconds()))}"
        else:
            fwd.status, fwd.next_attempt_at = ForwardStatus.FAILED, None
            kind = "forward_failed"
            note += "; giving up" if not result.retry else f"; gave up after {attempt} attempts"
    record(
        session,
        case,
        kind,
        f"{ACTOR}:{fwd.channel}",
        note,
        organisation_id=fwd.organisation_id,
        data={"forward_id": fwd.id, "attempt": attempt, "ok": result.ok},
    )
    return message_ids


@dataclass
class Attempted:
    status: str
    """The row's status afterwards, or `busy` when another runner had it."""
    message_ids: list[int] = field(default_factory=list)
    """Outbox rows queued (SMS forwards), to enqueue for sending."""


def attempt(
    db: Database, settings: Settings, forward_id: int, forwarders: dict[str, Forwarder]
) -> Attempted:
    with db.session() as session:
        fwd = claim(session, forward_id)
        if fwd is None:
            return Attempted("busy")
        built = envelope.build(session, fwd, settings)
        if isinstance(built, envelope.Skip):
            skip(session, fwd, built.reason)
            return Attempted("skipped")
    forwarder = forwarders.get(built.channel)
    if forwarder is None:
        result = Result(False, f"no forwarder for channel {built.channel!r}", retry=False)
    else:
        try:
            result = forwarder.deliver(built)
        except Exception as exc:  # a forwarder bug or an odd network error: try again later
            log.exception("forward %s failed unexpectedly", forward_id)
            result = Result(False, f"{type(exc).__name__}: {exc}"[:300])
    with db.session() as session:
        fwd = session.get(Forward, forward_id)
        ids = finish(session, fwd, result, settings.sms_provider)
        return Attempted(fwd.status, ids)
