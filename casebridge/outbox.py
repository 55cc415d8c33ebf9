"""The outbox: one row per outbound message; what may be sent, and how its state moves."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import gsm
from .attempts import Backoff, Durable
from .models import Case, Message, Reporter, utcnow
from .models.encrypted import matches
from .models.messages import MessageStatus
from .timeline import record

RETRY_DELAYS = (30, 120, 600, 1800, 3600, 3 * 3600)
"""Seconds before each retry of a transient failure; after the last one the message fails."""
OUTBOX = Durable(
    Message,
    ready=(MessageStatus.QUEUED, MessageStatus.RETRYING),
    sending=MessageStatus.SENDING,
    retrying=MessageStatus.RETRYING,
    backoff=Backoff(RETRY_DELAYS),
    scope=(Message.direction == "out",),
)


def _opted_out(session: Session, phone: str) -> bool:
    return bool(
        session.scalar(
            select(Reporter.opted_out).where(matches(session, Reporter.phone_index, phone))
        )
        or False
    )


def queue(
    session: Session,
    phone: str,
    body: str,
    purpose: str,
    provider: str,
    case: Case | None = None,
    our_number: str | None = None,
    meta: dict | None = None,
) -> Message | None:
    """Queue one SMS; returns None (nothing queued) when the number said STOP."""
    if _opted_out(session, phone):
        if case is not None:
            record(session, case, "message_withheld", "system", f"{purpose}: recipient said STOP")
        return None
    encoding, segments = gsm.segments(body)
    message = Message(
        direction="out",
        provider=provider,
        phone=phone,
        our_number=our_number,
        body=body,
        purpose=purpose,
        status=MessageStatus.QUEUED,
        encoding=encoding,
        segments=segments,
        case_id=case.id if case is not None else None,
        meta=meta,
        next_attempt_at=utcnow() + timedelta(seconds=RETRY_DELAYS[0]),
    )
    session.add(message)
    session.flush()
    return message


STOP_ACK = "stop_ack"
"""The purpose of the one acknowledgement a STOP gets: it leaves although the number opted out."""


def sms_safe(case: Case) -> bool:
    """May SMS about this case reach its reporter? Both the case (what was said when it was
    reported) and the phone (tightened by any later report) must say so."""
    return bool(case.reporter.sms_safe) and case.sms_safe is not False


def withheld_reason(session: Session, message: Message) -> str | None:
    """Why a queued message must not leave now (checked again when it is sent: STOP or an
    unsafe phone may have come after it was queued); None when it may."""
    if message.purpose != STOP_ACK and _opted_out(session, message.phone):
        return "recipient opted out (STOP)"
    if message.reporter_id is not None and message.case_id is not None:
        case = session.get(Case, message.case_id)
        if case is not None and not sms_safe(case):
            return "SMS to the reporter is not safe"
    return None


def queue_to_reporter(
    session: Session,
    case: Case,
    body: str,
    purpose: str,
    default_provider: str,
) -> Message | None:
    """Queue a message to the case's reporter only when SMS is safe and they did not say STOP.
    It leaves through the provider and number they last wrote to, else the default."""
    reporter = case.reporter
    if not sms_safe(case):
        record(session, case, "message_withheld", "system", f"{purpose}: SMS is not safe")
        return None
    message = queue(
        session,
        reporter.phone,
        body,
        purpose,
        reporter.reply_provider or default_provider,
        case=case,
        our_number=reporter.reply_number,
    )
    if message is not None:
        message.reporter_id = reporter.id
    return message


def claim(session: Session, message_id: int) -> Message | None:
    """Take a message for sending; None if another worker has it or it is done."""
    return OUTBOX.claim(session, message_id)


def mark_sent(
    message: Message, provider_message_id: str | None, status: str = MessageStatus.SENT
) -> None:
    message.status = status
    message.provider_message_id = provider_message_id
    message.sent_at = utcnow()
    message.next_attempt_at = None
    message.error = None
    if status == MessageStatus.DELIVERED:
        message.delivered_at = message.sent_at


def mark_retry(message: Message, error: str) -> bool:
    """Schedule another attempt; False (and failed) when the attempts are used up."""
    message.error = error[:500]
    if OUTBOX.retry_later(message) is None:
        message.status, message.next_attempt_at = MessageStatus.FAILED, None
        return False
    return True


def hold(message: Message, until: datetime, reason: str) -> None:
    """Not sent now, by choice (quiet hours, waiting for a phone): due again at `until`, the
    claimed try given back."""
    message.status, message.next_attempt_at = MessageStatus.RETRYING, until
    message.attempts = max(0, (message.attempts or 0) - 1)
    message.error = f"held: {reason}"[:500]


def cancel(session: Session, message: Message, reason: str) -> None:
    """Not sent, and never will be: the reason is on the message and its case's timeline."""
    message.status, message.error, message.next_attempt_at = MessageStatus.CANCELLED, reason, None
    if message.case_id is not None:
        case = session.get(Case, message.case_id)
        if case is not None:
            record(
                session,
                case,
                "message_withheld",
                "system",
                f"{message.purpose or 'message'}: {reason}",
                data={"message_id": message.id},
            )


def mark_failed(session: Session, message: Message, error: str, opted_out: bool = False) -> None:
    """A final failure: on the message, on its case's timeline, and an opt-out if it means one."""
    message.status = MessageStatus.FAILED
    message.error = error[:500]
    message.next_attempt_at = None
    if message.case_id is not None:
        case = session.get(Case, message.case_id)
        if case is not None:
            record(
                session,
                case,
                "message_failed",
                f"provider:{message.provider}",
                f"{message.purpose or 'message'} to {_recipient(message)} failed: {message.error}",
                data={"message_id": message.id},
            )
    if opted_out:
        from .reporters import opt_out

        opt_out(session, message.phone, channel=message.provider, note=f"provider: {error}"[:500])


def _recipient(message: Message) -> str:
    return "reporter" if message.reporter_id else "caseworker"


def due(session: Session, limit: int = 500) -> list[int]:
    """Messages whose (re)send is due: queued/retrying past their time, or stuck in sending."""
    return OUTBOX.due(session, limit)


def apply_delivery(
    session: Session,
    provider: str,
    provider_message_id: str,
    status: str,
    error: str | None,
    opted_out: bool = False,
    provider_status: str | None = None,
) -> Message | None:
    """Move an outbound row on a delivery report; unknown ids are ignored (returns None).

    The provider's own word is kept as reported. `retry` schedules a sent message again (a
    final failure once its attempts are used up); `unknown` moves nothing, so a delivered
    message stays delivered."""
    message = session.scalar(
        select(Message).where(
            Message.direction == "out",
            Message.provider == provider,
            Message.provider_message_id == provider_message_id,
        )
    )
    if message is None:
        return None
    if provider_status:
        message.provider_status = provider_status[:40]
    if status == "delivered":
        message.status = MessageStatus.DELIVERED
        message.delivered_at = utcnow()
    elif status == "failed" and message.status != MessageStatus.FAILED:
        mark_failed(session, message, error or "delivery failed", opted_out=opted_out)
    elif status == "retry" and message.status == MessageStatus.SENT:
        if not mark_retry(message, error or "delivery failed"):
            mark_failed(session, message, message.error or "delivery failed")
    elif status == "sent" and message.status in OUTBOX.ready + (MessageStatus.SENDING,):
        message.status = MessageStatus.SENT
    return message
