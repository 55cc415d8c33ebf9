"""SLA checks, run from the ticker's `tick` at most once a minute across all workers."""

from __future__ import annotations

import logging

from casebridge import sla
from casebridge.forwarding.schedule import take_pending

from . import queues
from .runtime import current

log = logging.getLogger(__name__)
EVERY_SECONDS = 60
LOCK = "pengaduan:sla-check"


def check_deadlines() -> dict[str, int]:
    """Remind, escalate and tell reporters about every case past its deadline."""
    rt = current()
    with rt.db.session() as session:
        done = sla.check(session, rt.settings.sms_provider)
        forward_ids = take_pending(session)
    queues.enqueue_each(rt.redis, queues.FORWARD_CASE, forward_ids)
    queues.enqueue_each(rt.redis, queues.SEND_SMS, done.message_ids)
    return {"reminded": len(done.reminded), "escalated": len(done.escalated)}


def periodic() -> None:
    """The tick's hook: check deadlines when no worker did in the last minute."""
    rt = current()
    if rt.redis.set(LOCK, "1", nx=True, ex=EVERY_SECONDS):
        check_deadlines()
