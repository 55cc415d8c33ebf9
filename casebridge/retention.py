"""Retention: what "the personal data of a case" is, and its removal (design.md, "Personal data").

`RETENTION_DAYS` after a case is closed, and at once on its reporter's request (`pengaduan
forget`), `remove_personal_data` clears everything that names or reaches a person: the
description, the recording, the worker's name and phone, the parties, referral reasons, the
notes and data of its timeline, its messages and files, the intake's report, the phone of its
USSD or voice session, and — once none of their other cases keeps personal data — the
reporter's name and phone. What stays is what the statistics count: category, channel, status,
dates, the worker's gender, country, province and regency, the organisation, the SLA flags. The
timeline keeps every event's kind, actor, time and status change, and gains one event
`personal_data_removed` with only the reason.

Messages and sessions of numbers that never became a case go after `UNLINKED_DAYS`
(`purge_unlinked`). `run_retention` does both; the worker runs it daily (`workers.retention`).

A forgotten reporter's number is gone, blind index included: nothing can be sent to it any more
(their SMS flag is turned off too), and a later report from that number starts afresh, asking
again whether SMS is safe. A number that said STOP and never became a case keeps its reporter
row (its opt-out is what STOP is): those are never purged."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, select, update
from sqlalchemy.orm import Session

from .audit import AUDIT_KINDS
from .db import Database
from .models import (
    Attachment,
    Case,
    ChannelSession,
    ContactEvent,
    Intake,
    Message,
    Referral,
    Reporter,
    Role,
    User,
    utcnow,
)
from .models.encrypted import matches, session_keys
from .reports import Report
from .settings import Settings
from .timeline import record

log = logging.getLogger(__name__)

REMOVED = "personal_data_removed"
"""The timeline event of a removal; its data is only `{"reason": ...}`."""
RETENTION, REQUEST = "retention", "request"
REASONS = (RETENTION, REQUEST)
RETENTION_ACTOR = "system:retention"
UNLINKED_DAYS = 90
"""Messages, sessions and reporters of numbers that never became a case are kept this long."""
BATCH = 100
RECORDINGS = "recordings"
"""The instance's folder of kept call recordings, `<reference>.<ext>` (`gateway.voice.jobs`)."""
REPORT_PERSONAL = {
    "reporter_phone": "",
    "reporter_name": None,
    "worker_name": None,
    "worker_phone": None,
    "description": None,
    "recording_url": None,
}
"""The fields of an intake's report that are personal, and what they become."""


@dataclass
class Removed:
    """What one removal took away (counts; no content)."""

    reference: str
    events: int = 0
    parties: int = 0
    referrals: int = 0
    messages: int = 0
    attachments: int = 0
    files: int = 0
    sessions: int = 0
    reporter: bool = False
    """The reporter's name and phone too (no other case of theirs keeps personal data)."""


def _bulk(session: Session, statement) -> int:
    """Run a bulk UPDATE or DELETE; the rows it touched. Objects already loaded are not
    synchronised (the callers expire what they read again)."""
    result = session.execute(statement, execution_options={"synchronize_session": False})
    return result.rowcount or 0


def _unlink(path: Path) -> int:
    try:
        path.unlink()
        return 1
    except FileNotFoundError:
        return 0


def _attachment_file(row: Attachment, media_dir: Path) -> Path | None:
    return media_dir / Path(row.stored_path).name if row.stored_path else None


def _drop_attachments(session: Session, where: ColumnElement[bool], media_dir: Path) -> tuple:
    """Delete the attachments matching `where` and their files; (rows, files) removed."""
    rows = list(session.scalars(select(Attachment).where(where)))
    files = 0
    for row in rows:
        path = _attachment_file(row, media_dir)
        files += _unlink(path) if path is not None else 0
        session.delete(row)
    session.flush()
    return len(rows), files


def _drop_messages(session: Session, where: ColumnElement[bool], media_dir: Path) -> tuple:
    """Delete the messages matching `where` with the files that came with them; (messages,
    attachments, files). A file already filed with a case stays with it (that case decides)."""
    ids = select(Message.id).where(where).scalar_subquery()
    _bulk(
        session,
        update(Attachment)
        .where(Attachment.message_id.in_(ids), Attachment.case_id.is_not(None))
        .values(message_id=None),
    )
    rows, files = _drop_attachments(
        session, Attachment.message_id.in_(select(Message.id).where(where)), media_dir
    )
    gone = _bulk(session, delete(Message).where(where))
    return gone, rows, files


def _neutral_report(payload: dict[str, Any]) -> dict[str, Any]:
    """The intake's report without what names or reaches a person."""
    known = {f.name for f in fields(Report)}
    kept = {k: v for k, v in (payload or {}).items() if k in known}
    kept.setdefault("category", "")
    kept.setdefault("channel", "")
    try:
        return asdict(Report.from_payload({**kept, **REPORT_PERSONAL}))
    except TypeError:  # a report of another shape: only its non-personal facts
        return {k: v for k, v in kept.items() if k not in REPORT_PERSONAL}


def _reporter_still_needed(session: Session, case: Case) -> bool:
    """Another case of the same reporter still holds personal data."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Case.reporter_id == case.reporter_id,
                    Case.id != case.id,
                    Case.personal_data_removed_at.is_(None),
                )
            )
        )
    )


def _forget_reporter(session: Session, reporter: Reporter, media_dir: Path, done: Removed) -> None:
    """Their name and number, the messages and files still under the number, notes on their
    STOP/MULAI events. `opted_out` stays: it says nothing about who they are."""
    if reporter.phone:  # under every key of the keyring, in the middle of a rotation too
        mine = (Message.reporter_id == reporter.id) | matches(
            session, Message.phone_index, reporter.phone
        )
        files = matches(session, Attachment.phone_index, reporter.phone)
    else:
        mine, files = Message.reporter_id == reporter.id, None
    messages, attachments, stored = _drop_messages(session, mine, media_dir)
    done.messages += messages
    done.attachments += attachments
    done.files += stored
    if files is not None:
        rows, stored = _drop_attachments(session, files, media_dir)
        done.attachments += rows
        done.files += stored
    _bulk(
        session,
        update(ContactEvent).where(ContactEvent.reporter_id == reporter.id).values(note=None),
    )
    reporter.name = None
    reporter.phone = None  # its blind index goes with it (filled before each flush)
    reporter.sms_safe = False
    done.reporter = True


def may_forget(user: User, case: Case) -> bool:
    """Who may order a case forgotten now, on its reporter's request: an active coordinator, or
    an active admin of the organisation holding the case (caseworkers ask one of them)."""
    if not user.active:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.ORG_ADMIN and case.organisation_id == user.organisation_id


def remove_personal_data(
    session: Session,
    case: Case,
    actor: str,
    reason: str,
    settings: Settings,
    now: datetime | None = None,
) -> Removed | None:
    """Remove the case's personal data (see the module's docstring) and record it on its
    timeline under `actor`; None, and nothing changed, when that was done before."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}; known: {', '.join(REASONS)}")
    # locked and read again: a `forget` and the daily run on the same case record it once
    session.refresh(case, ["personal_data_removed_at"], with_for_update=True)
    if case.personal_data_removed_at is not None:
        return None
    now = now or utcnow()
    media_dir = settings.media_dir
    done = Removed(case.reference)

    case.description = None
    case.recording_url = None
    recordings = settings.instance_dir / RECORDINGS
    if recordings.is_dir():
        done.files += sum(_unlink(p) for p in recordings.glob(f"{case.reference}.*"))
    case.worker.name = None
    case.worker.phone = None

    done.parties = len(case.parties)
    case.parties.clear()  # delete-orphan: the rows go
    done.referrals = _bulk(
        session, update(Referral).where(Referral.case_id == case.id).values(reason="")
    )
    for event in case.events:
        keep_note = event.kind in AUDIT_KINDS  # the route or command that read it
        if (event.note is not None and not keep_note) or event.data is not None:
            done.events += 1
        event.note = event.note if keep_note else None
        event.data = None

    rows, stored = _drop_attachments(session, Attachment.case_id == case.id, media_dir)
    messages, more, also = _drop_messages(session, Message.case_id == case.id, media_dir)
    done.attachments += rows + more
    done.files += stored + also
    done.messages += messages

    intake = session.get(Intake, case.intake_id)
    if intake is not None:
        intake.payload = _neutral_report(intake.payload)
    done.sessions = _bulk(
        session,
        update(ChannelSession)
        .where(ChannelSession.case_reference == case.reference)
        .values(phone=None),
    )
    if not _reporter_still_needed(session, case):
        _forget_reporter(session, case.reporter, media_dir, done)

    session.expire(case, ["attachments"])
    case.personal_data_removed_at = now
    event = record(session, case, REMOVED, actor, None, data={"reason": reason})
    event.at = now
    session.flush()
    return done


def _unlinked_messages(cutoff: datetime) -> ColumnElement[bool]:
    """Messages with no case, older than `cutoff`, from or to a number with no case."""
    with_case = select(Reporter.phone_index).where(
        Reporter.phone_index.is_not(None),
        exists().where(Case.reporter_id == Reporter.id),
    )
    return (
        Message.case_id.is_(None)
        & (Message.created_at < cutoff)
        & (Message.phone_index.is_(None) | Message.phone_index.not_in(with_case))
    )


def _unlinked_reporters(cutoff: datetime) -> ColumnElement[bool]:
    """Reporters with no case, no STOP/MULAI event and no message, older than `cutoff`."""
    return (
        (Reporter.created_at < cutoff)
        & ~exists().where(Case.reporter_id == Reporter.id)
        & ~exists().where(ContactEvent.reporter_id == Reporter.id)
        & ~exists().where(Message.reporter_id == Reporter.id)
    )


def _old_sessions(cutoff: datetime) -> ColumnElement[bool]:
    return (ChannelSession.created_at < cutoff) & ChannelSession.phone.is_not(None)


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def purge_unlinked(
    session: Session, settings: Settings, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """After `UNLINKED_DAYS`: messages (and their files) of numbers that never became a case
    are deleted, so are reporters nothing refers to, and old USSD/voice sessions lose their
    phone. Counts by kind; `dry_run` only counts."""
    cutoff = (now or utcnow()) - timedelta(days=UNLINKED_DAYS)
    if len(session_keys(session).ids) > 1:  # mid-rotation, blind indexes under two keys
        log.info("retention: numbers without a case are purged after the key rotation")
        return {"messages": 0, "reporters": 0, "sessions": 0}
    if dry_run:
        return {
            "messages": _count(session, select(Message.id).where(_unlinked_messages(cutoff))),
            "reporters": _count(session, select(Reporter.id).where(_unlinked_reporters(cutoff))),
            "sessions": _count(session, select(ChannelSession.id).where(_old_sessions(cutoff))),
        }
    messages, attachments, files = _drop_messages(
        session, _unlinked_messages(cutoff), settings.media_dir
    )
    reporters = _bulk(session, delete(Reporter).where(_unlinked_reporters(cutoff)))
    old = update(ChannelSession).where(_old_sessions(cutoff)).values(phone=None)
    sessions = _bulk(session, old)
    return {
        "messages": messages,
        "attachments": attachments,
        "files": files,
        "reporters": reporters,
        "sessions": sessions,
    }


def due(now: datetime, days: int) -> ColumnElement[bool]:
    """Closed more than `days` ago and still holding personal data (training cases too)."""
    return (
        (Case.status == "closed")
        & Case.closed_at.is_not(None)
        & (Case.closed_at < now - timedelta(days=days))
        & Case.personal_data_removed_at.is_(None)
    )


def run_retention(
    db: Database, settings: Settings, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Remove the personal data of every case closed more than `RETENTION_DAYS` ago, `BATCH`
    cases a transaction, then `purge_unlinked`. Counts (`cases`, `failed`, and the purge's);
    `dry_run` counts what would go and changes nothing. A case that cannot be done is logged
    by id and left for the next run."""
    now = now or utcnow()
    waiting = due(now, settings.retention_days)
    if dry_run:
        with db.session() as session:
            return {
                "cases": _count(session, select(Case.id).where(waiting)),
                **purge_unlinked(session, settings, now, dry_run=True),
            }
    done, failed = 0, set()
    while True:
        with db.session() as session:
            query = select(Case).where(waiting).order_by(Case.id).limit(BATCH)
            if failed:
                query = query.where(Case.id.not_in(failed))
            batch = list(session.scalars(query))
            for case in batch:
                try:
                    with session.begin_nested():
                        remove_personal_data(
                            session, case, RETENTION_ACTOR, RETENTION, settings, now
                        )
                    done += 1
                except Exception as exc:  # noqa: BLE001 - one bad case must not stop the rest
                    log.error("retention of case id %s failed: %s", case.id, type(exc).__name__)
                    failed.add(case.id)
        if len(batch) < BATCH:
            break
    with db.session() as session:
        purged = purge_unlinked(session, settings, now)
    return {"cases": done, "failed": len(failed), **purged}
