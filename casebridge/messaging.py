"""The outbound provider interface that provider adapters implement and workers call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class OutboundSms:
    """One message to send, as a sender sees it."""

    message_id: int
    to: str
    body: str
    our_number: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str | None
    status: str = "sent"
    """`sent` (accepted by the provider) or `delivered` (known to have arrived)."""


class SendError(Exception):
    """A send that did not succeed; `code` is the provider's own error code or word."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


class RetryableSendError(SendError):
    """Timeouts, 5xx, 429: try again later with backoff."""


class PermanentSendError(SendError):
    """Invalid number, blacklisted, rejected: fail now, record it on the case."""

    def __init__(self, message: str, code: str | None = None, opted_out: bool = False):
        super().__init__(message, code)
        self.opted_out = opted_out


class OutsideWindowError(SendError):
    """WhatsApp refused free-form text outside its messaging window: hold it, send the template."""


class Sender(Protocol):
    """A provider's outbound SMS side."""

    name: str

    def send(self, message: OutboundSms) -> SendResult: ...


class HoldSend(SendError):
    """Not now: look again at `until` (quiet hours, a phone a reply waits for). No attempt is
    used up."""

    def __init__(self, until, reason: str):
        super().__init__(reason, code="held")
        self.until = until
