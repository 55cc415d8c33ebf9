"""What the provider tests send and look for: an outbound SMS, the messages stored, the id a
fake gave a reply it was sent."""

from __future__ import annotations

from sqlalchemy import select

from casebridge.messaging import OutboundSms
from casebridge.models import Message
from tests.conftest import phone_index

PHONE = "+6281234567890"


def sms(to: str = PHONE, our_number: str | None = None) -> OutboundSms:
    return OutboundSms(1, to, "Halo", our_number)


def inbound(services) -> list[Message]:
    with services.db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "in")))


def reply_to(services, phone: str) -> Message:
    """The last message sent to `phone`."""
    with services.db.session() as s:
        return s.scalars(
            select(Message)
            .where(Message.direction == "out", Message.phone_index == phone_index(phone))
            .order_by(Message.id.desc())
        ).first()


def sent_id(fake, phone: str) -> str:
    """The provider's id of the last SMS the fake was asked to send to `phone`."""
    return [m for m in fake.sent if m["to"] == phone][-1]["id"]
