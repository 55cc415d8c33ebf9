"""Deciding what to forward: one pending Forward row per channel of the receiving organisation,
written in the same transaction as the change that calls for it (persist before acknowledge).
A job delivers each row (`workers.forwarding`); the sweeper picks up any not enqueued."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Case, Forward, Organisation, Referral, utcnow
from ..models.forwards import ForwardStatus
from ..timeline import record

ACTOR = "system:forward"
SWEEP_AFTER = timedelta(seconds=5)
"""A row nobody enqueued is sent by the sweeper after this long."""
PENDING_KEY = "forward_ids"
"""`session.info[PENDING_KEY]`: ids of the rows made in this session, to enqueue after commit."""


OWN_SYSTEMS = ("webhook", "email")
"""An organisation's own systems: a training case never reaches them (its SMS to caseworkers
does, so that training shows the whole path)."""


def channels(org: Organisation) -> list[str]:
    """The channels of an organisation's directory entry (`forward:`)."""
    found = []
    if org.forward_sms:
        found.append("sms")
    if org.webhook_url:
        found.append("webhook")
    if org.email:
        found.append("email")
    return found


def schedule(
    session: Session,
    case: Case,
    org: Organisation | None,
    event: str,
    key: str | None = None,
    data: dict | None = None,
) -> list[Forward]:
    """Pending forwards of `event` to `org` by each of its channels. With a `key`, scheduling
    the same thing again adds nothing."""
    if org is None:
        return []
    wanted = channels(org)
    if case.training and any(c in OWN_SYSTEMS for c in wanted):
        wanted = [c for c in wanted if c not in OWN_SYSTEMS]
        record(
            session,
            case,
            "forward_skipped",
            ACTOR,
            f"{event} not forwarded to {org.code}'s own systems: a training case",
            organisation_id=org.id,
        )
        if not wanted:
            return []
    if not wanted:
        record(
            session,
            case,
            "forward_skipped",
            ACTOR,
            f"{event} not forwarded: {org.code} has no channel in the directory",
            organisation_id=org.id,
        )
        return []
    if case.id is None:
        session.flush()
    rows: list[Forward] = []
    for channel in wanted:
        dedupe = f"{key}:{channel}" if key else None
        if dedupe and session.scalar(select(Forward.id).where(Forward.dedupe_key == dedupe)):
            continue
        row = Forward(
            case_id=case.id,
            organisation_id=org.id,
            channel=channel,
            event=event,
            dedupe_key=dedupe,
            data=data,
            status=ForwardStatus.PENDING,
            next_attempt_at=utcnow() + SWEEP_AFTER,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # scheduled by someone else meanwhile
            continue
        rows.append(row)
    session.info.setdefault(PENDING_KEY, []).extend(r.id for r in rows)
    return rows


def referred(session: Session, case: Case, referral: Referral) -> list[Forward]:
    """The organisation a case is referred to learns of the offer."""
    org = session.get(Organisation, referral.to_organisation_id)
    return schedule(
        session,
        case,
        org,
        "case.referred",
        key=f"referral:{referral.id}",
        data={"referral_id": referral.id},
    )


def take_pending(session: Session) -> list[int]:
    """The ids scheduled in this session (once; call after commit and enqueue them)."""
    return session.info.pop(PENDING_KEY, [])
