"""Forwarding cases to organisations by every channel in their directory entry.

- `schedule` writes one pending row per channel when a case is assigned (called by
  `casebridge.assignment`), referred, or overdue (`casebridge.sla`);
- `delivery.attempt` delivers one row through its channel's `Forwarder` (`sms`, `webhook`,
  `email`), writes the attempt and its result on the case timeline, and retries for a day
  (`casebridge.attempts` decides when).

Jobs and the sweeper that drive this live in `workers.forwarding`.
"""

from __future__ import annotations

from ..settings import Settings
from .base import CHANNELS, EVENTS, Envelope, Forwarder, Result
from .delivery import Attempted, attempt
from .mail import MailForwarder
from .sms import SmsForwarder
from .webhook import WebhookForwarder

__all__ = [
    "CHANNELS",
    "EVENTS",
    "Attempted",
    "Envelope",
    "Forwarder",
    "Result",
    "attempt",
    "forwarders",
]


def forwarders(settings: Settings) -> dict[str, Forwarder]:
    """One forwarder per channel, configured from the settings."""
    return {
        "sms": SmsForwarder(),
        "webhook": WebhookForwarder(),
        "email": MailForwarder(settings),
    }
