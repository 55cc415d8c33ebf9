"""Plain channel events: what a provider adapter turns its webhooks into (an inbound SMS, a
USSD hop, a voice step, a delivery report, the end of a session or a call). Not the timeline
(`CaseEvent`), which records what happened to a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class UssdHop:
    provider: str
    session_id: str
    phone: str
    service_code: str
    text: str
    network_code: str | None = None


@dataclass(frozen=True)
class InboundSms:
    provider: str
    provider_message_id: str
    phone: str
    our_number: str | None
    text: str
    received_at: datetime | None = None
    meta: dict = field(default_factory=dict)
    media: tuple = ()
    """Files it carries (`casebridge.attachments.Media`): photos, documents, voice notes."""


@dataclass(frozen=True)
class VoiceStep:
    provider: str
    call_id: str
    phone: str
    our_number: str | None
    digits: str | None = None
    recording_url: str | None = None
    recording_duration: int | None = None
    timed_out: bool = False
    active: bool = True


@dataclass(frozen=True)
class DeliveryReport:
    provider: str
    provider_message_id: str
    status: str
    """Our status: `sent`, `delivered`, `failed`, `retry` (failed for a passing reason, such
    as a rate limit: send again) or `unknown` (a word we do not know: the state stays)."""
    error: str | None = None
    opted_out: bool = False
    provider_status: str | None = None
    """The provider's own word for it, as reported."""


@dataclass(frozen=True)
class SessionEnd:
    """A provider's end-of-USSD-session notification. `outcome`: completed (the last screen
    was reached), dropped (it ended while a screen waited for input), failed (our error)."""

    provider: str
    session_id: str
    outcome: str
    phone: str | None = None
    hops: int | None = None
    duration_ms: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallEnd:
    """A provider's final notification of a call."""

    provider: str
    call_id: str
    status: str
    """`completed`, `busy`, `no-answer`, `failed`, `canceled`…"""
    cause: str | None = None
    """The provider's own word for why it ended, as sent."""
    cause_label: str | None = None
    """`cause` when the provider's adapter knows the word, else None: a bounded metric label."""
    duration: int | None = None
    """Seconds."""
    phone: str | None = None
    meta: dict = field(default_factory=dict)
