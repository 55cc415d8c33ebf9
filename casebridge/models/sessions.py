"""Records of finished USSD sessions and voice calls, for metrics and support."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .encrypted import Encrypted


class ChannelSession(Base):
    __tablename__ = "channel_sessions"
    __table_args__ = (UniqueConstraint("provider", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(Encrypted())
    status: Mapped[str | None] = mapped_column(String(30))
    hops: Mapped[int | None]
    duration_ms: Mapped[int | None]
    last_screen: Mapped[str | None] = mapped_column(String(60))
    hangup_cause: Mapped[str | None] = mapped_column(String(60))
    case_reference: Mapped[str | None] = mapped_column(String(8))
    meta: Mapped[dict | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
