"""The jobs. Each takes plain ids, opens its own session, and is safe to run twice."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from casebridge import intake, outbox, whatsapp
from casebridge.messaging import (
    HoldSend,
    OutboundSms,
    OutsideWindowError,
    PermanentSendError,
    RetryableSendError,
)
from casebridge.models import Message

from . import queues
from .runtime import current

log = logging.getLogger(__name__)


def process_intake(intake_id: int) -> int | None:
    """Intake → case → routed → confirmation queued. Returns the case id. A try that raises is
    counted on the intake (the database being away is not its fault and does not count); after
    the job's last retry the intake has failed for good, where `/healthz` shows it."""
    rt = current()
    try:
        with rt.db.session() as session:
            outcome = intake.process(
                session, intake_id, rt.settings.secret_key, rt.settings.sms_provider
            )
    except OperationalError:
        raise
    except Exception as exc:
        with rt.db.session() as session:
            tries = len(queues.PROCESS_INTAKE.retry) + 1
            if intake.record_failure(session, intake_id, f"{type(exc).__name__}: {exc}", tries):
                log.error("intake %s failed for good after %d tries: %s", intake_id, tries, exc)
        raise
    if outcome is None:
        log.warning("intake %s does not exist", intake_id)
        return None
    queues.enqueue_each(rt.redis, queues.SEND_SMS, outcome.message_ids)
    for follow_up in rt.after_case:  # forwarding: see gateway/cli/worker.py configure_runtime
        follow_up(outcome.case_id, outcome.created)
    return outcome.case_id


def send_message(message_id: int) -> str:
    """Send one outbox row through its provider's sender; retry or fail as the error says."""
    rt = current()
    with rt.db.session() as session:
        message = outbox.claim(session, message_id)
        if message is None:
            return "skipped"
        withheld = outbox.withheld_reason(session, message)
        if withheld is not None:  # STOP or "not safe" came after it was queued
            outbox.cancel(session, message, withheld)
            return "cancelled"
        held = whatsapp.is_whatsapp(message.provider, message.our_number) and not (
            whatsapp.in_window(session, message, rt.settings.whatsapp_session_hours)
        )
        if held:
            now = whatsapp.hold(session, message, rt.settings.whatsapp_template_status)
        sender = rt.senders.get(message.provider)
        outgoing = OutboundSms(
            message.id, message.phone, message.body, message.our_number, dict(message.meta or {})
        )
    if held:  # outside WhatsApp's window: the template (if any) instead, the message later
        queues.enqueue_each(rt.redis, queues.SEND_SMS, now)
        return "held"
    if sender is None:
        with rt.db.session() as session:
            message = session.get(Message, message_id)
            outbox.mark_failed(session, message, f"no sender configured for {message.provider!r}")
        return "failed"
    try:
        result = sender.send(outgoing)
    except HoldSend as exc:  # quiet hours, a phone a reply waits for
        with rt.db.session() as session:
            outbox.hold(session.get(Message, message_id), exc.until, str(exc))
        return "held"
    except OutsideWindowError as exc:
        with rt.db.session() as session:
            message = session.get(Message, message_id)
            if (message.meta or {}).get("template"):
                outbox.mark_failed(session, message, f"{exc.code} {exc}")
                return "failed"
            now = whatsapp.hold(session, message, rt.settings.whatsapp_template_status)
        queues.enqueue_each(rt.redis, queues.SEND_SMS, now)
        return "held"
    except PermanentSendError as exc:
        with rt.db.session() as session:
            message = session.get(Message, message_id)
            outbox.mark_failed(session, message, f"{exc.code or ''} {exc}".strip(), exc.opted_out)
        return "failed"
    except (RetryableSendError, Exception) as exc:
        with rt.db.session() as session:
            message = session.get(Message, message_id)
            again = outbox.mark_retry(message, f"{type(exc).__name__}: {exc}")
            if not again:
                outbox.mark_failed(session, message, message.error or "gave up")
        return "retrying" if again else "failed"
    with rt.db.session() as session:
        message = session.get(Message, message_id)
        outbox.mark_sent(message, result.provider_message_id, result.status)
    return result.status


def tick() -> dict[str, int]:
    """The sweeper: re-enqueue intakes left pending and messages whose (re)send is due."""
    rt = current()
    with rt.db.session() as session:
        stale_intakes = intake.stale(session)
        due_messages = outbox.due(session)
    queues.enqueue_each(rt.redis, queues.PROCESS_INTAKE, stale_intakes)
    queues.enqueue_each(rt.redis, queues.SEND_SMS, due_messages)
    for periodic in rt.periodic:  # see gateway/cli/worker.py configure_runtime
        periodic()
    return {"intakes": len(stale_intakes), "messages": len(due_messages)}
