"""Forwarding jobs: deliver one Forward row (plain id, safe to run twice), and the sweeper's
part: rows nobody enqueued, and rows whose next attempt is due."""

from __future__ import annotations

import logging

from sqlalchemy import select

from casebridge import forwarding
from casebridge.forwarding import delivery
from casebridge.models import Forward
from casebridge.models.forwards import ForwardStatus

from . import queues
from .runtime import current

log = logging.getLogger(__name__)


def forwarders(settings) -> dict[str, forwarding.Forwarder]:
    """The forwarders of this process (tests replace this)."""
    return forwarding.forwarders(settings)


def forward(forward_id: int) -> str:
    """One attempt at one forward; SMS forwards hand their messages to the outbox."""
    rt = current()
    outcome = forwarding.attempt(rt.db, rt.settings, forward_id, forwarders(rt.settings))
    queues.enqueue_each(rt.redis, queues.SEND_SMS, outcome.message_ids)
    return outcome.status


def after_case(case_id: int, created: bool) -> None:
    """After an intake became a case: send its forwards now rather than at the next sweep."""
    rt = current()
    with rt.db.session() as session:
        ids = list(
            session.scalars(
                select(Forward.id).where(
                    Forward.case_id == case_id, Forward.status == ForwardStatus.PENDING
                )
            )
        )
    queues.enqueue_each(rt.redis, queues.FORWARD_CASE, ids)


def sweep() -> int:
    """Periodic: enqueue every forward whose attempt is due (a row made where nothing enqueued
    it is due a few seconds after it was written)."""
    rt = current()
    with rt.db.session() as session:
        ids = delivery.due(session)
    queues.enqueue_each(rt.redis, queues.FORWARD_CASE, ids)
    return len(ids)
