"""The people in a case: the reporter (who contacts us) and the migrant worker it is about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .encrypted import Encrypted, blind_index


class Reporter(Base):
    """A phone that reported; found by the blind index of its E.164 number (the number itself
    is encrypted, and gone once its personal data is removed)."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(Encrypted())
    phone_index: Mapped[str | None] = blind_index("phone", unique=True)
    name: Mapped[str | None] = mapped_column(Encrypted())
    language: Mapped[str] = mapped_column(String(5), default="id")
    sms_safe: Mapped[bool] = mapped_column(default=False)
    opted_out: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None]
    reply_provider: Mapped[str | None] = mapped_column(String(20))
    reply_number: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactEvent(Base):
    """STOP/MULAI and other per-phone events, kept with their time."""

    __tablename__ = "contact_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Encrypted())


class Worker(Base):
    """The migrant worker a case is about (may be the reporter, or their relative)."""

    __tablename__ = "migrant_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(Encrypted())
    gender: Mapped[str] = mapped_column(String(12), default="unspecified")
    phone: Mapped[str | None] = mapped_column(Encrypted())
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    province: Mapped[str | None] = mapped_column(String(6), index=True)
    regency: Mapped[str | None] = mapped_column(String(100))
    regency_code: Mapped[str | None] = mapped_column(String(8))
