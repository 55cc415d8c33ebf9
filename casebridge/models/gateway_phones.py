"""Android gateway phones (design.md "Gateway phones"): one row per phone an operator added
with `pengaduan phones add`; its password and webhook key encrypted (casebridge.secretbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .orgs import Organisation


class GatewayPhone(Base):
    __tablename__ = "gateway_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(24), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    login: Mapped[str] = mapped_column(String(100))
    password_secret: Mapped[str] = mapped_column(Text)
    webhook_key_secret: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    daily_limit: Mapped[int | None]
    """Messages per local day; None: no limit."""
    quiet: Mapped[str | None] = mapped_column(String(11))
    """"HH:MM-HH:MM" in the phone's local time: non-urgent messages wait until its end."""
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    device_id: Mapped[str | None] = mapped_column(String(64))
    """The app's device id as its webhooks report it (chooses the device on a shared relay)."""
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
