"""Durable attempts: the one state machine of rows a job works on and a sweeper watches (the
outbox, forwards to organisations), and the sweep of rows whose job was lost (inbound SMS,
intakes).

A runner claims a ready row (one runner only: an atomic update), tries, and records how it
went; a failed try waits out the next delay of its backoff, and after the last one it has
failed. A try left hanging in `sending` (the worker died) counts as lost after a while and is
due again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from .models import utcnow


@dataclass(frozen=True)
class Backoff:
    """Seconds to wait before each new try; after the last one the row has failed."""

    delays: tuple[int, ...]

    def after(self, attempts: int) -> timedelta | None:
        """The wait after `attempts` tries, or None when no try is left."""
        if attempts < 1 or attempts > len(self.delays):
            return None
        return timedelta(seconds=self.delays[attempts - 1])


@dataclass(frozen=True)
class Durable:
    """A table whose rows have `status`, `attempts`, `updated_at` and `next_attempt_at`."""

    model: Any
    ready: tuple[str, ...]
    """States a runner may claim."""
    sending: str
    retrying: str
    backoff: Backoff
    stale_after: timedelta = timedelta(minutes=1)
    """A try still `sending` after this long was lost (its worker died): the lease. The try
    is counted before the provider is called, so a crash leaves "maybe sent", never "not
    sent"; every provider call times out well within it."""
    scope: tuple[ColumnElement[bool], ...] = ()
    """Conditions every row of this kind meets (outbound messages: direction = out)."""

    def claim(self, session: Session, row_id: int) -> Any | None:
        """Take the row for one try (counted); None when another runner has it or it is done."""
        m = self.model
        result = session.execute(
            update(m)
            .where(m.id == row_id, m.status.in_(self.ready), *self.scope)
            .values(status=self.sending, attempts=m.attempts + 1, updated_at=utcnow())
        )
        if not result.rowcount:
            return None
        return session.get(m, row_id, populate_existing=True)

    def due(self, session: Session, limit: int = 500) -> list[int]:
        """Ids of the rows whose (next) try is due, lost tries included, oldest first."""
        m, now = self.model, utcnow()
        session.execute(
            update(m)
            .where(m.status == self.sending, m.updated_at < now - self.stale_after, *self.scope)
            .values(status=self.retrying, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        return list(
            session.scalars(
                select(m.id)
                .where(m.status.in_(self.ready), m.next_attempt_at <= now, *self.scope)
                .order_by(m.id)
                .limit(limit)
            )
        )

    def retry_later(self, row: Any) -> timedelta | None:
        """After a failed try: wait for the next one (returns the wait), or None when the
        tries are used up (the caller marks the row failed)."""
        wait = self.backoff.after(row.attempts)
        if wait is None:
            return None
        row.status, row.next_attempt_at = self.retrying, utcnow() + wait
        return wait


def lost(
    session: Session,
    model: Any,
    waiting: ColumnElement[bool],
    stamp: InstrumentedAttribute,
    older_than: timedelta,
    limit: int = 500,
) -> list[int]:
    """Rows still `waiting` a while after they were made and after they were last swept
    (their job was lost or never enqueued), stamped now so that the next sweep leaves them
    alone for another while. Returns their ids, to enqueue again."""
    now = utcnow()
    cutoff = now - older_than
    ids = list(
        session.scalars(
            select(model.id)
            .where(
                waiting,
                model.created_at < cutoff,
                or_(stamp.is_(None), stamp < cutoff),
            )
            .order_by(model.id)
            .limit(limit)
        )
    )
    if ids:
        session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values({stamp.key: now})
            .execution_options(synchronize_session=False)
        )
    return ids
