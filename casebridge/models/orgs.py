"""Organisations of the network, their caseworkers and their API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

ORG_KINDS = ("ngo", "legal_aid", "government", "coordinator")


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    public_name: Mapped[str | None] = mapped_column(String(200))
    """What reporters read (neutral, checked against the telling words); None: a neutral
    default."""
    training: Mapped[bool] = mapped_column(default=False)
    """The simulator may act for it; its cases are training cases."""
    kind: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list] = mapped_column(default=list)
    covers_provinces: Mapped[list] = mapped_column(default=list)
    covers_regencies: Mapped[list] = mapped_column(default=list)
    covers_countries: Mapped[list] = mapped_column(default=list)
    covers_categories: Mapped[list] = mapped_column(default=list)
    selectable: Mapped[bool] = mapped_column(default=False)
    sla_hours: Mapped[int] = mapped_column(default=48)
    forward_sms: Mapped[bool] = mapped_column(default=False)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    caseworkers: Mapped[list[Caseworker]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Caseworker.id"
    )

    @property
    def is_coordinator(self) -> bool:
        return self.kind == "coordinator"


class Caseworker(Base):
    __tablename__ = "caseworkers"
    __table_args__ = (UniqueConstraint("organisation_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="caseworkers")


class ApiKey(Base):
    """An organisation's API key; only a SHA-256 of the key is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    name: Mapped[str | None] = mapped_column(String(100))
    """What the key is for ("web form", "our CMS"), as its organisation's admin named it."""
    last_used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()
