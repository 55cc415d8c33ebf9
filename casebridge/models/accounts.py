"""People who sign in to the workspace, and the one-time links that invite them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .encrypted import Encrypted
from .orgs import Organisation


class Role(StrEnum):
    """caseworker: the organisation's cases; org_admin: also its people and API keys;
    coordinator: the whole network and the dashboard."""

    CASEWORKER = "caseworker"
    ORG_ADMIN = "org_admin"
    COORDINATOR = "coordinator"


class User(Base):
    """A person with an account: a caseworker, an organisation's admin or a coordinator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    """Lower-cased; the sign-in name."""
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    """E.164; SMS sign-in codes go here, and an SMS command from it is this person's."""
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id; None until the invitation is used (or after a reset)."""
    second_factor: Mapped[str | None] = mapped_column(String(10))
    """"totp" or "sms"; None until enrolled."""
    totp_secret: Mapped[str | None] = mapped_column(Encrypted())
    language: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_in_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()

    @property
    def ready(self) -> bool:
        """May sign in: active, with a password and a second factor."""
        return self.active and bool(self.password_hash) and bool(self.second_factor)


class Invite(Base):
    """A one-time link that lets a person set a password and a second factor (72 hours)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token in the link; the token itself is never stored."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
