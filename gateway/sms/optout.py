"""STOP and MULAI, applied inside the webhook request so they take effect at once.

STOP cancels every message still queued for the number and blocks all later ones; it is
acknowledged once, and that acknowledgement is the last SMS the number gets (a second STOP
gets nothing). MULAI lifts the block and is acknowledged. Both are kept as contact events with
their time, and on the timeline of the reporter's open cases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casebridge import gsm, outbox, reporters
from casebridge.models import Case, Message, Reporter, utcnow
from casebridge.models.messages import MessageStatus
from casebridge.status import OPEN_STATUSES
from casebridge.texts import DEFAULT_LANGUAGE
from casebridge.timeline import record

from . import texts
from .keywords import Command

ACTOR = "reporter:sms"


def _note_on_cases(session: Session, reporter: Reporter, kind: str, note: str) -> None:
    for case in session.scalars(
        select(Case).where(Case.reporter_id == reporter.id, Case.status.in_(OPEN_STATUSES))
    ):
        record(session, case, kind, ACTOR, note)


def _route(reporter: Reporter, message: Message) -> None:
    reporter.reply_provider = message.provider
    reporter.reply_number = message.our_number


def _last_word(session: Session, message: Message, reporter: Reporter, body: str) -> Message:
    """The STOP acknowledgement: queued although the number is now opted out (the outbox
    would refuse it), through the provider and number the STOP came in on."""
    encoding, segments = gsm.segments(body)
    ack = Message(
        direction="out",
        provider=message.provider,
        phone=message.phone,
        our_number=message.our_number,
        body=body,
        purpose=outbox.STOP_ACK,
        status=MessageStatus.QUEUED,
        encoding=encoding,
        segments=segments,
        reporter_id=reporter.id,
        next_attempt_at=utcnow() + timedelta(seconds=outbox.RETRY_DELAYS[0]),
    )
    session.add(ack)
    session.flush()
    return ack


def apply(session: Session, message: Message, command: Command) -> list[int]:
    """Opt the sender out ("stop") or in ("start") now; the ids of messages to enqueue."""
    before = reporters.find(session, message.phone)
    was_out = before is not None and before.opted_out
    lang = command.lang or (before.language if before else DEFAULT_LANGUAGE)
    if command.name == "stop":
        if was_out:
            return []
        cancelled = reporters.opt_out(session, message.phone, message.provider, "STOP by SMS")
        reporter = reporters.get_or_create(session, message.phone)
        _route(reporter, message)
        _note_on_cases(
            session, reporter, "opted_out", f"reporter said STOP; {cancelled} queued SMS cancelled"
        )
        return [_last_word(session, message, reporter, texts.render("stop_ack", lang)).id]
    reporters.opt_in(session, message.phone, message.provider, "MULAI by SMS")
    reporter = reporters.get_or_create(session, message.phone)
    _route(reporter, message)
    if was_out:
        _note_on_cases(session, reporter, "opted_in", "reporter said MULAI")
    ack = outbox.queue(
        session,
        message.phone,
        texts.render("start_ack", lang),
        "start_ack",
        message.provider,
        our_number=message.our_number,
    )
    if ack is None:
        return []
    ack.reporter_id = reporter.id
    return [ack.id]
