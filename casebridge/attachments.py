"""Attachments: the files reporters send (photos, documents, voice notes). A row is written
when the message arrives (persist before acknowledge), linked to the reporter's case once it
is known, and downloaded by a job (`workers.media`) into MEDIA_PATH: only the allowed types,
at most MAX_MEDIA_BYTES, retried with backoff; a refusal or final failure is on the timeline."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import sealed
from .attempts import Backoff, Durable
from .models import Attachment, AttachmentStatus, Case, utcnow
from .models.encrypted import matches, session_keys
from .timeline import record

RETRY_DELAYS = (30, 120, 600, 1800, 3600)
DOWNLOADS = Durable(
    Attachment,
    ready=(AttachmentStatus.PENDING, AttachmentStatus.RETRYING),
    sending=AttachmentStatus.DOWNLOADING,
    retrying=AttachmentStatus.RETRYING,
    backoff=Backoff(RETRY_DELAYS),
    stale_after=timedelta(minutes=5),
)
LINK_WINDOW = timedelta(days=1)
"""Files sent while a report was being made join the case it becomes when this recent."""

TYPES: dict[str, tuple[str, str]] = {
    "image/jpeg": ("image", ".jpg"),
    "image/png": ("image", ".png"),
    "image/webp": ("image", ".webp"),
    "image/heic": ("image", ".heic"),
    "application/pdf": ("document", ".pdf"),
    "audio/ogg": ("audio", ".ogg"),
    "audio/opus": ("audio", ".opus"),
    "audio/mpeg": ("audio", ".mp3"),
    "audio/mp4": ("audio", ".m4a"),
    "audio/aac": ("audio", ".aac"),
    "audio/amr": ("audio", ".amr"),
    "audio/wav": ("audio", ".wav"),
    "video/mp4": ("video", ".mp4"),
    "video/3gpp": ("video", ".3gp"),
}
"""The allowed content types (parameters such as `; codecs=opus` aside): kind, file extension."""
KINDS = ("image", "audio", "document", "video")


class Refused(ValueError):
    """A file that will never be kept (a type not allowed, too large): not retried."""


@dataclass(frozen=True)
class Media:
    """A file a message carries, as its provider names it."""

    provider_media_id: str
    content_type: str | None = None
    kind: str | None = None


def bare_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def kind_of(content_type: str | None, hint: str | None = None) -> str:
    """image/audio/document/video: from the type when allowed, else the provider's word."""
    known = TYPES.get(bare_type(content_type))
    if known:
        return known[0]
    if hint in KINDS:
        return hint
    top = bare_type(content_type).split("/")[0]
    return top if top in KINDS else "document"


def add(
    session: Session, message_id: int, phone: str, channel: str, provider: str, media: list[Media]
) -> list[Attachment]:
    """A pending row per file of an inbound message (in its transaction)."""
    rows = []
    for item in media:
        row = Attachment(
            message_id=message_id,
            phone=phone,
            channel=channel,
            provider=provider,
            provider_media_id=item.provider_media_id[:500],
            kind=kind_of(item.content_type, item.kind),
            content_type=bare_type(item.content_type)[:100] or None,
            status=AttachmentStatus.PENDING,
            next_attempt_at=utcnow() + timedelta(seconds=RETRY_DELAYS[0]),
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _note(row: Attachment) -> str:
    return f"{row.kind} received by {row.channel}"


def attach(session: Session, case: Case, rows: list[Attachment]) -> None:
    """Rows join the case, each on its timeline (a refusal that came first too)."""
    for row in rows:
        if row.case_id is not None:
            continue
        row.case_id = case.id
        record(session, case, "attachment", f"reporter:{row.channel}", _note(row), data=_data(row))
        if row.status == AttachmentStatus.FAILED:
            _failure_event(session, case, row)


def of_message(session: Session, message_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.message_id == message_id)))


def link_waiting(session: Session, case: Case) -> None:
    """Files its reporter sent lately without a case (while reporting) join this new case."""
    rows = session.scalars(
        select(Attachment)
        .where(
            matches(session, Attachment.phone_index, case.reporter.phone),
            Attachment.case_id.is_(None),
            Attachment.received_at > utcnow() - LINK_WINDOW,
        )
        .order_by(Attachment.id)
    )
    attach(session, case, list(rows))


def _data(row: Attachment) -> dict:
    return {"attachment_id": row.id}


def _failure_event(session: Session, case: Case, row: Attachment) -> None:
    record(
        session,
        case,
        "attachment_failed",
        f"provider:{row.provider}",
        f"{row.kind} not kept: {row.error or 'failed'}",
        data=_data(row),
    )


def claim(session: Session, attachment_id: int) -> Attachment | None:
    return DOWNLOADS.claim(session, attachment_id)


def due(session: Session, limit: int = 200) -> list[int]:
    return DOWNLOADS.due(session, limit)


def check(content_type: str, size: int, limit: int) -> tuple[str, str]:
    """(kind, extension) of a file we may keep; Refused says why not."""
    if size > limit:
        raise Refused(f"larger than the limit of {limit} bytes (MAX_MEDIA_BYTES)")
    known = TYPES.get(bare_type(content_type))
    if known is None:
        raise Refused(f"type {bare_type(content_type)[:60] or 'unknown'!r} is not accepted")
    return known


def store(
    session: Session, row: Attachment, body: bytes, content_type: str, folder: Path, limit: int
) -> Attachment:
    """Keep the downloaded file sealed under the data keys (owner-only; `sealed.read_file`
    opens it) and mark the row stored; Refused when its type or size is not accepted (the
    caller marks it failed). Size and SHA-256 are the plain content's; the file's name shows
    neither (a keyed digest: the same file again gets the same name)."""
    kind, ext = check(content_type, len(body), limit)
    digest = hashlib.sha256(body).hexdigest()
    keys = session_keys(session)
    name = f"{row.id}-{keys.index(digest)[:16]}{ext}"
    sealed.write_file(folder / name, body, keys)
    row.kind, row.content_type = kind, bare_type(content_type)
    row.size, row.sha256, row.stored_path = len(body), digest, name
    row.status, row.next_attempt_at, row.error = AttachmentStatus.STORED, None, None
    return row


def fail(session: Session, row: Attachment, reason: str) -> None:
    """Never kept: the reason on the row and, when it has one, its case's timeline."""
    row.status, row.next_attempt_at, row.error = AttachmentStatus.FAILED, None, reason[:500]
    if row.case_id is not None:
        case = session.get(Case, row.case_id)
        if case is not None:
            _failure_event(session, case, row)


def retry_later(session: Session, row: Attachment, error: str) -> bool:
    """Another try after a passing failure; False (and failed) when the tries are used up."""
    row.error = error[:500]
    if DOWNLOADS.retry_later(row) is None:
        fail(session, row, f"gave up: {error}")
        return False
    case = session.get(Case, row.case_id) if row.case_id is not None else None
    if case is not None:
        record(
            session,
            case,
            "attachment_retry",
            f"provider:{row.provider}",
            f"{row.kind} not downloaded yet, trying again: {row.error}",
            data=_data(row),
        )
    return True


def for_case(session: Session, case: Case) -> list[Attachment]:
    return list(
        session.scalars(
            select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)
        )
    )


def path_of(row: Attachment, folder: Path) -> Path | None:
    """The stored file, when it is there."""
    if row.status != AttachmentStatus.STORED or not row.stored_path:
        return None
    path = folder / Path(row.stored_path).name
    return path if path.is_file() else None
