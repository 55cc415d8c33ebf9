"""SMS to an organisation's caseworkers: the summary goes into the outbox, which sends it
through the configured default provider (settings.sms_provider) with its own retries."""

from __future__ import annotations

from .base import Envelope, Result


class SmsForwarder:
    channel = "sms"

    def deliver(self, envelope: Envelope) -> Result:
        if not envelope.recipients:
            return Result(False, "no active caseworker with a phone", retry=False)
        return Result(
            True,
            f"queued to {len(envelope.recipients)} caseworker(s)",
            outbox=tuple((phone, envelope.text) for phone in envelope.recipients),
        )
