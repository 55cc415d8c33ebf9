"""Reporters by phone: created once, found again; opt-out (STOP/MULAI) kept with its time."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import ContactEvent, Message, Reporter, utcnow
from .models.encrypted import matches
from .models.messages import MessageStatus


def get_or_create(session: Session, phone: str, language: str = "id") -> Reporter:
    """The reporter for a phone, created safely even when two jobs race for it."""
    reporter = session.scalar(select(Reporter).where(matches(session, Reporter.phone_index, phone)))
    if reporter is not None:
        return reporter
    try:
        with session.begin_nested():
            reporter = Reporter(phone=phone, language=language)
            session.add(reporter)
            session.flush()
        return reporter
    except IntegrityError:
        return session.scalars(
            select(Reporter).where(matches(session, Reporter.phone_index, phone))
        ).one()


def find(session: Session, phone: str) -> Reporter | None:
    return session.scalar(select(Reporter).where(matches(session, Reporter.phone_index, phone)))


def opt_out(
    session: Session, phone: str, channel: str | None = None, note: str | None = None
) -> int:
    """Silence every message to this phone now, queued ones included; returns how many
    queued messages were cancelled."""
    reporter = get_or_create(session, phone)
    reporter.opted_out = True
    reporter.opted_out_at = utcnow()
    session.add(ContactEvent(reporter_id=reporter.id, kind="opt_out", channel=channel, note=note))
    cancelled = session.execute(
        update(Message)
        .where(
            Message.direction == "out",
            matches(session, Message.phone_index, phone),
            Message.status.in_((MessageStatus.QUEUED, MessageStatus.RETRYING)),
        )
        .values(
            status=MessageStatus.CANCELLED, error="recipient opted out (STOP)", updated_at=utcnow()
        )
    )
    return cancelled.rowcount or 0


def opt_in(
    session: Session, phone: str, channel: str | None = None, note: str | None = None
) -> None:
    reporter = get_or_create(session, phone)
    reporter.opted_out = False
    session.add(ContactEvent(reporter_id=reporter.id, kind="opt_in", channel=channel, note=note))
