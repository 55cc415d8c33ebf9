"""A Forward row's life: claimed for an attempt, then delivered, retried with backoff for a
day, skipped or failed. Every attempt and its result is written on the case's timeline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Case, Forward, utcnow
from ..outbox import queue
from ..timeline import record
from .base import Result
from .schedule import ACTOR

RETRY_DELAYS = (30, 120, 600, 1800, 3600, 7200, 14400, 28800, 30000)
"""Seconds before each retry; together about a day, after which the forward has failed."""
STALE_SENDING = timedelta(minutes=5)


def claim(session: Session, forward_id: int) -> Forward | None:
    """Atomically take a forward for one attempt; None if another worker has it or it is done."""
    result = session.execute(
        update(Forward)
        .where(Forward.id == forward_id, Forward.status.in_(("pending", "retrying")))
        .values(status="sending", attempts=Forward.attempts + 1, updated_at=utcnow())
    )
    if not result.rowcount:
        return None
    return session.get(Forward, forward_id, populate_existing=True)


def due(session: Session, limit: int = 500) -> list[int]:
    """Forwards whose (next) attempt is due, including attempts left hanging in `sending`."""
    now = utcnow()
    session.execute(
        update(Forward)
        .where(Forward.status == "sending", Forward.updated_at < now - STALE_SENDING)
        .values(status="retrying", next_attempt_at=now)
    )
    return list(
        session.scalars(
            select(Forward.id)
            .where(Forward.status.in_(("pending", "retrying")), Forward.next_attempt_at <= now)
            .order_by(Forward.id)
            .limit(limit)
        )
    )


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
    fwd.status, fwd.error, fwd.next_attempt_at = "skipped", reason[:500], None
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
        fwd.status, fwd.error, fwd.next_attempt_at = "delivered", None, None
        fwd.delivered_at = utcnow()
        for phone, text in result.outbox:
            message = queue(session, phone, text, "case_forward", sms_provider, case=case)
            if message is not None:
                message_ids.append(message.id)
    else:
        fwd.error = result.detail[:500]
        if result.retry and attempt <= len(RETRY_DELAYS):
            delay = RETRY_DELAYS[attempt - 1]
            fwd.status, fwd.next_attempt_at = "retrying", utcnow() + timedelta(seconds=delay)
            note += f"; next attempt in {_when(delay)}"
        else:
            fwd.status, fwd.next_attempt_at = "failed", None
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
