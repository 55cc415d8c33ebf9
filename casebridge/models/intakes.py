"""Intakes: a report as it arrived, persisted before we acknowledge it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .encrypted import EncryptedJSON


class IntakeState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class Intake(Base):
    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    pin_seed: Mapped[str | None] = mapped_column(String(32))
    """The PIN is derived from it and the secret key; the case gets the PIN's hash."""
    payload: Mapped[dict] = mapped_column(EncryptedJSON(), default=dict)
    state: Mapped[str] = mapped_column(String(10), default=IntakeState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    enqueued_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    case_id: Mapped[int | None]
