"""A file a reporter sent (photo, document, voice note, video): one row per file, downloaded from
its provider by a job into MEDIA_PATH; the case it belongs to once that is known."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .encrypted import Encrypted, blind_index


class AttachmentStatus(StrEnum):
    """pending → downloading → stored, retrying between tries, or failed (refused or given up)."""

    PENDING = "pending"
    DOWNLOADING = "downloading"
    RETRYING = "retrying"
    STORED = "stored"
    FAILED = "failed"


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_status", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    phone: Mapped[str] = mapped_column(Encrypted())
    """The sender's number: links the file to the case their report becomes."""
    phone_index: Mapped[str | None] = blind_index("phone", index=True)
    channel: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(20))
    provider_media_id: Mapped[str] = mapped_column(String(500))
    """Meta's media id, or the media URL of a Twilio message."""
    kind: Mapped[str] = mapped_column(String(10))
    """image, audio, document or video."""
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    stored_path: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), default=AttachmentStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
