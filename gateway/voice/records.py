"""End of a call: one `ChannelSession` row (length, hang-up cause, how far the caller got,
the case it opened) written from the provider's final notification, and the metrics."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casebridge import clean
from casebridge.channel_events import CallEnd
from casebridge.models import ChannelSession, utcnow

from ..services import Services
from . import metrics
from .store import CallRecord


def cause_label(end: CallEnd) -> str:
    """A bounded label for the metrics: a cause the provider knows, else `other`/`unknown`."""
    return end.cause_label or ("unknown" if not end.cause else "other")


def close(services: Services, end: CallEnd, record: CallRecord | None) -> bool:
    """Record the end of the call once; True when this notification was the first to do so
    (a repeated notification only fills in what was missing)."""
    with services.db.session() as session:
        row = _find(session, end)
        created = row is None
        if created:
            row = ChannelSession(channel="voice", provider=end.provider, session_id=end.call_id)
            try:
                with session.begin_nested():
                    session.add(row)
                    session.flush()
            except IntegrityError:  # another process recorded it meanwhile
                row, created = _find(session, end), False
        _fill(row, end, record)
        if created and record is not None:
            row.created_at = datetime.fromtimestamp(record.started, UTC)
    if created:
        redis = services.redis
        metrics.count(redis, "completed", end.provider)
        metrics.count(redis, "hangup", end.provider, cause_label(end))
        if end.duration:
            metrics.count(redis, "seconds", end.provider, by=end.duration)
    return created


def _find(session, end: CallEnd) -> ChannelSession | None:
    return session.scalar(
        select(ChannelSession).where(
            ChannelSession.provider == end.provider, ChannelSession.session_id == end.call_id
        )
    )


def _fill(row: ChannelSession, end: CallEnd, record: CallRecord | None) -> None:
    values = {
        "phone": end.phone,
        "status": clean.text(end.status)[:30] if end.status else None,
        "hangup_cause": clean.text(end.cause)[:60] if end.cause else None,
        "duration_ms": end.duration * 1000 if end.duration is not None else None,
    }
    if record is not None:
        values.update(
            phone=record.phone or end.phone,
            hops=record.seq,
            last_screen=record.node or ("callback" if record.callback else None),
            case_reference=record.reference,
        )
    for name, value in values.items():
        if value is not None:
            setattr(row, name, value)
    meta = dict(row.meta or {})
    meta.update({k: v for k, v in end.meta.items() if v not in (None, "")})
    if record is not None:
        meta.update(direction="inbound" if record.inbound else "outbound", callback=record.callback)
        if record.lang:
            meta["language"] = record.lang
    row.meta = meta
    row.ended_at = row.ended_at or utcnow()
