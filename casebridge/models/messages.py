"""Messages in and out; outbound rows are the outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .encrypted import Encrypted, EncryptedJSON, blind_index


class MessageStatus(StrEnum):
    """An inbound row: received → (submitting) → done, or failed. An outbound row (the
    outbox): queued → sending → sent → delivered, retrying between tries, or failed; cancelled
    when the number said STOP before it left; held outside WhatsApp's messaging window."""

    RECEIVED = "received"
    SUBMITTING = "submitting"
    DONE = "done"
    DUPLICATE = "duplicate"
    """The same text from the same number moments ago (a provider's resend): not read twice."""
    QUEUED = "queued"
    SENDING = "sending"
    RETRYING = "retrying"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    HELD = "held"
    """A WhatsApp message outside the messaging window: it leaves when the person next writes."""


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_provider_msgid", "provider", "provider_message_id"),
        Index("ix_messages_dir_status", "direction", "status"),
        Index("ix_messages_phone", "phone_index", "direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    provider: Mapped[str] = mapped_column(String(20))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    phone: Mapped[str] = mapped_column(Encrypted())
    phone_index: Mapped[str | None] = blind_index("phone")
    our_number: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Encrypted())
    purpose: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))
    provider_status: Mapped[str | None] = mapped_column(String(40))
    """The provider's own word for the last delivery state, as reported."""
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
    encoding: Mapped[str | None] = mapped_column(String(6))
    segments: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"))
    meta: Mapped[dict | None] = mapped_column(EncryptedJSON())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
