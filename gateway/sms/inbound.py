"""The provider-neutral entry points every SMS adapter calls.

    receive(services, InboundSms) -> Received     an SMS came in (in the webhook request)
    delivery(services, DeliveryReport) -> bool    a delivery report came in

`receive` persists the message (deduplicated on provider + provider message id) and a row per
file it carries before anything else, applies STOP/MULAI at once, releases the WhatsApp
messages held for this phone outside the messaging window, then enqueues
`gateway.sms.jobs.handle_inbound` and the files' downloads; if Redis is down the rows are safe
and the sweepers enqueue them later. A WhatsApp message of a type we do not read is recorded
as unsupported and not handled. An adapter answers 200 whatever the
outcome, 400 on `WebhookError`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from casebridge import attachments, clean, outbox, phones, whatsapp
from casebridge.channel_events import DeliveryReport, InboundSms
from casebridge.models import Message
from casebridge.models.messages import MessageStatus
from workers import queues

from ..providers.base import WebhookError
from ..services import Services
from . import keywords, optout

log = logging.getLogger(__name__)
MAX_TEXT = 5000


@dataclass(frozen=True)
class Received:
    message_id: int | None
    """The stored row; None for a repeat of a message already stored."""
    duplicate: bool = False
    immediate: bool = False
    """True when it was STOP or MULAI, applied in the request."""


def dedupe_key(provider: str, provider_message_id: str) -> str:
    return f"{provider}:{provider_message_id}"[:200]


def receive(services: Services, event: InboundSms) -> Received:
    """Store an inbound SMS once and start its handling; see the module docstring."""
    phone = phones.normalise_sender(event.phone or "")  # answered as reported when ambiguous
    if phone is None:
        raise WebhookError("the sender is not a valid phone number")
    provider_message_id = clean.text(event.provider_message_id or "")
    if not provider_message_id:
        raise WebhookError("the message id is missing")
    text = clean.text(event.text or "")[:MAX_TEXT]
    our_number = clean.text(event.our_number or "")[:40] or None
    command = keywords.parse(text)
    immediate = command is not None and command.name in ("stop", "start")
    meta = dict(event.meta or {})
    unsupported = bool(meta.get("unsupported"))
    if event.received_at is not None:
        meta["received_at"] = event.received_at.isoformat()
    acks: list[int] = []
    files: list[int] = []
    channel = whatsapp.channel(event.provider, our_number)
    with services.db.session() as session:
        row = Message(
            direction="in",
            provider=event.provider,
            provider_message_id=provider_message_id[:100],
            dedupe_key=dedupe_key(event.provider, provider_message_id),
            phone=phone,
            our_number=our_number,
            body=text,
            status=MessageStatus.RECEIVED,
            meta=meta or None,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return Received(None, duplicate=True)
        media = [m for m in event.media if isinstance(m, attachments.Media)]
        files = [
            a.id for a in attachments.add(session, row.id, phone, channel, event.provider, media)
        ]
        if immediate:
            acks = optout.apply(session, row, command)
            row.status = MessageStatus.DONE
        elif unsupported:
            row.status = MessageStatus.DONE
        if channel == "whatsapp":
            acks += whatsapp.release(session, phone)
        row_id = row.id
    if not immediate and not unsupported:
        queues.enqueue(services.redis, queues.HANDLE_SMS, row_id)
    queues.enqueue_each(services.redis, queues.SEND_SMS, acks)
    queues.enqueue_each(services.redis, queues.DOWNLOAD_MEDIA, files)
    return Received(row_id, immediate=immediate)


def delivery(services: Services, report: DeliveryReport) -> bool:
    """Move the outbound row a delivery report is about; False when we never sent that id.
    A final failure lands on the case timeline; an opt-out code silences the number; a status
    the provider's table does not know (`unknown`) only keeps its raw word on the row."""
    if report.status == whatsapp.REENGAGE:
        with services.db.session() as session:
            now = whatsapp.reengage(
                session,
                report.provider,
                clean.text(report.provider_message_id),
                services.settings.whatsapp_template_status,
            )
        queues.enqueue_each(services.redis, queues.SEND_SMS, now)
        return True
    with services.db.session() as session:
        message = outbox.apply_delivery(
            session,
            report.provider,
            clean.text(report.provider_message_id),
            report.status,
            clean.optional(report.error),
            opted_out=report.opted_out,
            provider_status=clean.optional(report.provider_status),
        )
        return message is not None
