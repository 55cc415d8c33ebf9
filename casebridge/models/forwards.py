"""Forwards: one row per case event to deliver to an organisation through one channel."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .orgs import Organisation


class ForwardStatus(StrEnum):
    """pending → sending → delivered, retrying between tries; skipped when there is nothing to
    send any more; failed when the tries are used up or the error is final."""

    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    SKIPPED = "skipped"
    FAILED = "failed"


class Forward(Base):
    """`event` (`case.assigned`, `case.referred`, `case.reminder`, `case.escalated`) to the
    organisation by `channel` (`sms`, `webhook`, `email`), with its attempts."""

    __tablename__ = "forwards"
    __table_args__ = (Index("ix_forwards_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    channel: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(String(30))
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=ForwardStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    delivered_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
