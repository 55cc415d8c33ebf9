"""What the voice engine needs from the rest of the service, as a protocol.

The gateway implements it (intake, case lookup, reporter preferences); tests use an
in-memory one. The engine never talks to a database, a queue or a provider itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from casebridge.casestatus import CaseStatus

__all__ = ["CaseStatus", "Submission", "SubmitError", "VoiceContext"]


@dataclass(frozen=True)
class Submission:
    """A report that was accepted: its reference (8 digits or NNNN-NNNN) and PIN."""

    reference: str
    pin: str
    organisation: str | None = None


class SubmitError(Exception):
    """The report could not be stored; the caller hears an apology."""


class VoiceContext(Protocol):
    def submit(
        self,
        answers: dict,
        phone: str,
        lang: str,
        recording_url: str | None,
        recording_duration: int | None,
    ) -> Submission:
        """Store the report (intake row, then enqueue). Raises SubmitError on failure.
        `answers`: category, country, relationship, sms_safe (see ivr_scripts README)."""
        ...

    def lookup(self, reference: str, phone: str) -> CaseStatus | None:
        """The case when `phone` is its reporter's number, else None (unknown or not theirs)."""
        ...

    def lookup_with_pin(
        self, reference: str, pin: str, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        """The case when the PIN matches; None when not; "locked" after too many tries."""
        ...

    def set_language(self, phone: str, lang: str) -> None:
        """Remember the caller's language for later messages. Must not raise."""
        ...
