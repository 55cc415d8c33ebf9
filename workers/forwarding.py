"""Forwarding jobs: deliver one Forward row (plain id, safe to run twice), and the sweeper's
part: rows nobody enqueued, and rows whose next attempt is due."""

from __future__ import annotations

import logging

from redis import Redis
from sqlalchemy import select

from casebridge import forwarding
from casebridge.forwarding import delivery
from casebridge.models import Forward

from . import queues
from .runtime import current

log = logging.getLogger(__name__)
JOB = "workers.forwarding.forward"


def enqueue(redis: Redis, forward_id: int) -> None:
    queues.queue(redis, queues.FORWARD).enqueue(
        JOB, forward_id, result_ttl=600, failure_ttl=7 * 86400
    )


def enqueue_all(redis: Redis, forward_ids: list[int]) -> None:
    """Enqueue what can be; the sweeper sends the rest a few seconds later."""
    for forward_id in forward_ids:
        try:
            enqueue(redis, forward_id)
        except Exception:
            log.warning("could not enqueue forward %s; the sweeper will", forward_id)


def forwarders(settings) -> dict[str, forwarding.Forwarder]:
    """The forwarders of this process (tests replace this)."""
    return forwarding.forwarders(settings)


def forward(forward_id: int) -> str:
    """One attempt at one forward; SMS forwards hand their messages to the outbox."""
    rt = current()
    outcome = forwarding.attempt(rt.db, rt.settings, forward_id, forwarders(rt.settings))
    for message_id in outcome.message_ids:
        try:
            queues.enqueue_message(rt.redis, message_id)
        except Exception:
            log.warning("could not enqueue message %s; the sweeper will", message_id)
    return outcome.status


def after_case(case_id: int, created: bool) -> None:
    """After an intake became a case: send its forwards now rather than at the next sweep."""
    rt = current()
    with rt.db.session() as session:
        ids = list(
            session.scalars(
                select(Forward.id).where(Forward.case_id == case_id, Forward.status == "pending")
            )
        )
    enqueue_all(rt.redis, ids)


def sweep() -> int:
    """Periodic: enqueue every forward whose attempt is due (a row made where nothing enqueued
    it is due a few seconds after it was written)."""
    rt = current()
    with rt.db.session() as session:
        ids = delivery.due(session)
    enqueue_all(rt.redis, ids)
    return len(ids)
