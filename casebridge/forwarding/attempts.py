"""One attempt at one forward: read what to send, send it outside any transaction, record how
it went. Safe to run twice: only one runner can claim a row for an attempt."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..db import Database
from ..models import Forward
from ..settings import Settings
from . import delivery, envelope
from .base import Forwarder, Result

log = logging.getLogger(__name__)


@dataclass
class Attempted:
    status: str
    """The row's status afterwards, or `busy` when another runner had it."""
    message_ids: list[int] = field(default_factory=list)
    """Outbox rows queued (SMS forwards), to enqueue for sending."""


def attempt(
    db: Database, settings: Settings, forward_id: int, forwarders: dict[str, Forwarder]
) -> Attempted:
    with db.session() as session:
        fwd = delivery.claim(session, forward_id)
        if fwd is None:
            return Attempted("busy")
        built = envelope.build(session, fwd, settings)
        if isinstance(built, envelope.Skip):
            delivery.skip(session, fwd, built.reason)
            return Attempted("skipped")
    forwarder = forwarders.get(built.channel)
    if forwarder is None:
        result = Result(False, f"no forwarder for channel {built.channel!r}", retry=False)
    else:
        try:
            result = forwarder.deliver(built)
        except Exception as exc:  # a forwarder bug or an odd network error: try again later
            log.exception("forward %s failed unexpectedly", forward_id)
            result = Result(False, f"{type(exc).__name__}: {exc}"[:300])
    with db.session() as session:
        fwd = session.get(Forward, forward_id)
        ids = delivery.finish(session, fwd, result, settings.sms_provider)
        return Attempted(fwd.status, ids)
