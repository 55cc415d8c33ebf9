"""The whole conversation with a case's reporter, in time order: what we sent them on every
channel (the outbox rows of the case addressed to them), what they wrote after reporting (the
`reporter_message` events), and what was held back (`message_withheld`, with why)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Case, CaseEvent, Message

IN, OUT, WITHHELD = "in", "out", "withheld"
TO_REPORTER = ("notice_", "still_handling", "confirmation")
"""Purposes of messages meant for the reporter (a withheld event's note starts with one)."""
WITH_PIN = frozenset({"confirmation"})
"""Messages that carried the reporter's PIN: it is theirs alone, so it is shown hidden."""
_PIN = re.compile(r"(?<![\d-])\d{4}(?![\d-])")


def _shown(message: Message) -> str:
    return _PIN.sub("••••", message.body) if message.purpose in WITH_PIN else message.body


@dataclass(frozen=True)
class Line:
    """One message: `direction` in (from the reporter), out (to them) or withheld (not sent);
    `channel` (sms, whatsapp, …, or the provider it left through); `status` of an outbound row."""

    at: datetime
    direction: str
    channel: str
    body: str
    status: str | None = None


def _channel(actor: str) -> str:
    return actor.partition(":")[2] or actor


def lines(session: Session, case: Case) -> list[Line]:
    """Every message to and from the reporter of `case`, oldest first."""
    sent = session.scalars(
        select(Message).where(
            Message.case_id == case.id,
            Message.direction == "out",
            Message.reporter_id == case.reporter_id,
        )
    )
    found = [Line(m.created_at, OUT, m.provider, _shown(m), m.status) for m in sent]
    events = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id,
            CaseEvent.kind.in_(("reporter_message", "message_withheld")),
        )
    )
    for e in events:
        if e.kind == "reporter_message":
            found.append(Line(e.at, IN, _channel(e.actor), e.note or ""))
        elif (e.note or "").startswith(TO_REPORTER):
            found.append(Line(e.at, WITHHELD, "sms", e.note or ""))
    return sorted(found, key=lambda line: line.at)
