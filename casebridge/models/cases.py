"""Cases, their timeline, the parties involved and referrals between organisations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachments import Attachment
from .base import Base, utcnow
from .encrypted import Encrypted, EncryptedJSON
from .orgs import Organisation
from .people import Reporter, Worker


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_org_status", "organisation_id", "status"),
        Index("ix_cases_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    category: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str | None] = mapped_column(Encrypted())
    channel: Mapped[str] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(5), default="id")
    relationship_: Mapped[str] = mapped_column("relationship", String(12), default="self")
    reporter_id: Mapped[int] = mapped_column(ForeignKey("reporters.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("migrant_workers.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    """The person in the organisation working the case (taken, or given by a colleague)."""
    preferred_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    filed_by_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    """The organisation whose desk filed the report: it keeps read access to status and timeline."""
    consent_to_share: Mapped[bool] = mapped_column(default=False)
    recording_url: Mapped[str | None] = mapped_column(Encrypted())
    recording_duration: Mapped[int | None]
    overdue: Mapped[bool] = mapped_column(default=False, index=True)
    training: Mapped[bool] = mapped_column(default=False, index=True)
    """Filed in training (the simulator): out of statistics, exports and forwarding."""
    sms_safe: Mapped[bool | None] = mapped_column(default=None)
    """Whether SMS about this case may reach its reporter (with the phone's own flag)."""
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    assigned_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    personal_data_removed_at: Mapped[datetime | None]
    """When its personal data was removed (retention, or `pengaduan forget`)."""

    reporter: Mapped[Reporter] = relationship()
    worker: Mapped[Worker] = relationship()
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    preferred_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[preferred_organisation_id]
    )
    filed_by_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[filed_by_organisation_id]
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id", viewonly=True)


class CaseEvent(Base):
    """One line of a case's timeline and audit trail: who, when, what, note."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Encrypted())
    data: Mapped[dict | None] = mapped_column(EncryptedJSON())

    case: Mapped[Case] = relationship(back_populates="events")


class Party(Base):
    """Another person or company in a case: employer, agency, broker, relative, official."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(Encrypted())
    contact: Mapped[str | None] = mapped_column(Encrypted())
    cooperative: Mapped[str] = mapped_column(String(10), default="unknown")
    note: Mapped[str | None] = mapped_column(Encrypted())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="parties")


class ReferralState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Referral(Base):
    """A case referred from one organisation to another, with the reporter's consent."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    reason: Mapped[str] = mapped_column(Encrypted())
    consent: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(10), default=ReferralState.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
