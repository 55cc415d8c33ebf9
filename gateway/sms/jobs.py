"""RQ jobs of the SMS channel (enqueued by import path; `workers` never imports `gateway`).

`handle_inbound(message_id)` handles a stored inbound SMS once, however often it runs: the
phone's messages are handled one at a time, in the order they arrived (a Redis lock per phone),
each in one transaction that also marks it done; its replies, and the forwards to organisations
its changes scheduled, are enqueued after that commit. A report the dialogue completed is
submitted after it too (idempotent on the inbound message), so a crash in between is finished by
a rerun. `sweep()` re-enqueues inbound messages whose job was lost."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from casebridge import attachments, attempts
from casebridge.forwarding.schedule import take_pending
from casebridge.models import Message
from casebridge.models.encrypted import matches
from casebridge.models.messages import MessageStatus
from casebridge.reports import Report
from workers import queues
from workers.runtime import current

from ..services import Services
from ..submit import submit_report
from . import handler
from .turn import Turn

log = logging.getLogger(__name__)
DUPLICATE_WINDOW = timedelta(seconds=10)
"""The same text from the same number within this time is one message (gateways that resend)."""
LONG_TEXT = 12
"""Texts at least this long are never a legitimate repeat within the window."""
REACTION_TIME = timedelta(seconds=2)
"""A reply queued less than this before a message came in cannot be what it answers."""
SWEEP_AFTER = timedelta(minutes=1)
MAX_ATTEMPTS = 5
LOCK_SECONDS = 60
WAITING = (MessageStatus.RECEIVED, MessageStatus.SUBMITTING)


def _services() -> Services:
    rt = current()
    return Services(settings=rt.settings, db=rt.db, redis=rt.redis)


def handle_inbound(message_id: int) -> str:
    """Handle every waiting inbound SMS of this message's phone up to it; returns its status."""
    services = _services()
    with services.db.session() as session:
        phone = session.scalar(
            select(Message.phone).where(Message.id == message_id, Message.direction == "in")
        )
    if phone is None:
        return "missing"
    who = services.settings.data_keys.index(phone)  # the lock's name shows no number
    lock = services.redis.lock(
        f"pengaduan:sms:phone:{who}", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS
    )
    if not lock.acquire():
        raise RuntimeError(f"inbound SMS {message_id}: its phone is busy; retry later")
    try:
        with services.db.session() as session:
            waiting = list(
                session.scalars(
                    select(Message.id)
                    .where(
                        Message.direction == "in",
                        matches(session, Message.phone_index, phone),
                        Message.status.in_(WAITING),
                        Message.id <= message_id,
                    )
                    .order_by(Message.id)
                )
            )
        for waiting_id in waiting:
            _handle_one(services, waiting_id)
    finally:
        lock.release()
    with services.db.session() as session:
        return session.scalar(select(Message.status).where(Message.id == message_id)) or "missing"


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _near_duplicate(session, message: Message) -> bool:
    """The same text from the same phone a few seconds after another is a resend, unless it
    is a short answer and we asked something in between, early enough to be read ("1", then
    "1" to the next question). A message with files is never one (two photos in a row)."""
    if attachments.of_message(session, message.id):
        return False
    earlier = session.execute(
        select(Message.id, Message.body)
        .where(
            Message.direction == "in",
            matches(session, Message.phone_index, message.phone),
            Message.id < message.id,
            Message.created_at >= message.created_at - DUPLICATE_WINDOW,
        )
        .order_by(Message.id.desc())
    )
    for earlier_id, body in earlier:
        if not _same_text(body, message.body):
            continue
        if len(message.body.strip()) >= LONG_TEXT:
            return True
        asked = session.scalar(
            select(Message.id)
            .where(
                Message.direction == "out",
                matches(session, Message.phone_index, message.phone),
                Message.id > earlier_id,
                Message.created_at <= message.created_at - REACTION_TIME,
            )
            .limit(1)
        )
        return asked is None
    return False


def _handle_one(services: Services, message_id: int) -> None:
    try:
        with services.db.session() as session:
            message = session.get(Message, message_id, with_for_update=True)
            if message is None or message.status not in WAITING:
                return
            turn = None
            if message.status == MessageStatus.RECEIVED:
                if _near_duplicate(session, message):
                    message.status = MessageStatus.DUPLICATE
                    return
                turn = Turn(session, services, message)
                handler.handle(turn)
                if turn.report is not None:
                    message.meta = {**(message.meta or {}), "report": turn.report.to_payload()}
                    message.status = MessageStatus.SUBMITTING
                else:
                    message.status = MessageStatus.DONE
            submitting = message.status == MessageStatus.SUBMITTING
            key = f"sms:{message.dedupe_key}"
            payload = (message.meta or {}).get("report")
            forwards = take_pending(session)
    except Exception as exc:
        _count_failure(services, message_id, exc)
        raise
    if turn is not None:
        queues.enqueue_each(services.redis, queues.SEND_SMS, turn.queued)
    queues.enqueue_each(services.redis, queues.FORWARD_CASE, forwards)
    if submitting:
        submit_report(services, key, Report.from_payload(payload))
        with services.db.session() as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id, Message.status == MessageStatus.SUBMITTING)
                .values(status=MessageStatus.DONE)
            )


def _count_failure(services: Services, message_id: int, exc: Exception) -> None:
    """Count a failed attempt; after MAX_ATTEMPTS the message is marked failed, not retried."""
    log.exception("inbound SMS %s could not be handled", message_id)
    with services.db.session() as session:
        message = session.get(Message, message_id)
        if message is None:
            return
        message.attempts += 1
        message.error = f"{type(exc).__name__}: {exc}"[:500]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = MessageStatus.FAILED


def sweep() -> int:
    """Re-enqueue inbound SMS still waiting a while after they came in (or were last swept)."""
    services = _services()
    waiting = (Message.direction == "in") & Message.status.in_(WAITING)
    with services.db.session() as session:
        ids = attempts.lost(session, Message, waiting, Message.next_attempt_at, SWEEP_AFTER)
    for message_id in ids:
        queues.enqueue(services.redis, queues.HANDLE_SMS, message_id)
    return len(ids)
