"""The one interface every forwarder implements, and what passes through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

CHANNELS = ("sms", "webhook", "email")
EVENTS = ("case.assigned", "case.referred", "case.reminder", "case.escalated")
"""`case.assigned`: a new or re-routed case, or an accepted referral; `case.referred`: a case
offered to an organisation; `case.reminder`: not accepted within `sla_hours`;
`case.escalated`: to the coordinator, not accepted within twice that."""


@dataclass(frozen=True)
class Envelope:
    """Everything one delivery needs, read from the database before any network I/O."""

    forward_id: int
    channel: str
    event: str
    organisation: str
    reference: str
    recipients: tuple[str, ...]
    """Caseworkers' phones (sms), the address (email) or the URL (webhook)."""
    text: str
    """The short summary (the SMS, the e-mail's text)."""
    subject: str = ""
    document: dict[str, Any] = field(default_factory=dict)
    """The case as the API shows it, plus `event` (the webhook body, the e-mail attachment)."""
    secret: str | None = None


@dataclass(frozen=True)
class Result:
    """How a delivery went; `detail` goes on the case timeline as it is."""

    ok: bool
    detail: str
    retry: bool = True
    """For a failure: whether trying again later can help."""
    outbox: tuple[tuple[str, str], ...] = ()
    """(phone, text) pairs the SMS forwarder hands to the outbox."""


class Forwarder(Protocol):
    """One channel to organisations. `deliver` does the I/O and never touches the database;
    it answers with a Result (exceptions count as failures worth retrying)."""

    channel: str

    def deliver(self, envelope: Envelope) -> Result: ...
