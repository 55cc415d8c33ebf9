"""WhatsApp's messaging rules, whichever provider carries it (Meta's Cloud API, Twilio's
`whatsapp:` addresses): free-form messages only within WHATSAPP_SESSION_HOURS of the person's
last message; after that only the approved neutral template (WHATSAPP_TEMPLATE_STATUS, its one
parameter the case reference), while the real message is held and leaves when they next write."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import refs
from .models import Case, Message, utcnow
from .models.encrypted import matches
from .models.messages import MessageStatus
from .timeline import record

PROVIDER = "whatsapp"
"""The provider name of Meta's WhatsApp Cloud API."""
ADDRESS_PREFIX = "whatsapp:"
"""How Twilio writes a WhatsApp address (`whatsapp:+6281…`)."""
TEMPLATE_PURPOSE = "wa_template"
REENGAGE = "reengage"
"""A delivery report's status when the provider refused a message as outside the window."""


def is_whatsapp(provider: str | None, our_number: str | None) -> bool:
    return provider == PROVIDER or (our_number or "").startswith(ADDRESS_PREFIX)


def channel(provider: str | None, our_number: str | None) -> str:
    """The reporter's channel of a message: `whatsapp` or `sms`."""
    return "whatsapp" if is_whatsapp(provider, our_number) else "sms"


def _whatsapp_rows():
    return or_(Message.provider == PROVIDER, Message.our_number.like(ADDRESS_PREFIX + "%"))


def last_heard(session: Session, phone: str) -> datetime | None:
    """When this phone last wrote to us on WhatsApp."""
    return session.scalar(
        select(Message.created_at)
        .where(
            Message.direction == "in",
            matches(session, Message.phone_index, phone),
            _whatsapp_rows(),
        )
        .order_by(Message.created_at.desc())
        .limit(1)
    )


def in_window(session: Session, message: Message, hours: int) -> bool:
    """May this message leave as free-form text now? Templates always may."""
    if (message.meta or {}).get("template"):
        return True
    heard = last_heard(session, message.phone)
    return heard is not None and utcnow() - heard < timedelta(hours=hours)


def _template_sent_since(session: Session, phone: str, since: datetime | None) -> bool:
    query = select(Message.id).where(
        Message.direction == "out",
        matches(session, Message.phone_index, phone),
        Message.purpose == TEMPLATE_PURPOSE,
    )
    if since is not None:
        query = query.where(Message.created_at > since)
    return session.scalar(query.limit(1)) is not None


def hold(session: Session, message: Message, template: str | None) -> list[int]:
    """Hold a message that may not leave now; queue the template (once per silence) when one
    is set and the message is about a case. Returns the ids to send now (the template's).
    What happened is on the case's timeline."""
    message.status, message.next_attempt_at = MessageStatus.HELD, None
    case = session.get(Case, message.case_id) if message.case_id is not None else None
    if case is None:
        return []
    what = message.purpose or "message"
    if not template:
        record(
            session,
            case,
            "message_held",
            "system",
            f"{what}: outside the WhatsApp window and no WHATSAPP_TEMPLATE_STATUS; "
            "it leaves when the reporter writes",
            data={"message_id": message.id},
        )
        return []
    record(
        session,
        case,
        "message_held",
        "system",
        f"{what}: outside the WhatsApp window; template {template} sent, "
        "the message leaves when the reporter writes",
        data={"message_id": message.id},
    )
    if _template_sent_since(session, message.phone, last_heard(session, message.phone)):
        return []
    ref = refs.format_ref(case.reference)
    notice = Message(
        direction="out",
        provider=message.provider,
        phone=message.phone,
        our_number=message.our_number,
        body=f"[{template}] {ref}",
        purpose=TEMPLATE_PURPOSE,
        status=MessageStatus.QUEUED,
        case_id=case.id,
        reporter_id=message.reporter_id,
        meta={"template": {"name": template, "language": case.language or "id", "params": [ref]}},
        next_attempt_at=utcnow() + timedelta(seconds=30),
    )
    session.add(notice)
    session.flush()
    return [notice.id]


def reengage(
    session: Session, provider: str, provider_message_id: str, template: str | None
) -> list[int]:
    """The provider refused a sent message as outside the window: hold it (see `hold`)."""
    message = session.scalar(
        select(Message).where(
            Message.direction == "out",
            Message.provider == provider,
            Message.provider_message_id == provider_message_id,
        )
    )
    if message is None or (message.meta or {}).get("template"):
        return []
    return hold(session, message, template)


def release(session: Session, phone: str) -> list[int]:
    """The person wrote: their held messages are queued again, oldest first; their ids."""
    held = list(
        session.scalars(
            select(Message)
            .where(
                Message.direction == "out",
                matches(session, Message.phone_index, phone),
                Message.status == MessageStatus.HELD,
            )
            .order_by(Message.id)
        )
    )
    for message in held:
        message.status, message.next_attempt_at = MessageStatus.QUEUED, utcnow()
    return [m.id for m in held]
