"""What the engine needs from the rest of the service, and what it gets back.

The gateway implements `UssdContext` with the database; tests use a small in-memory one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from casebridge.casestatus import CaseStatus

__all__ = ["CaseStatus", "Submission", "SubmitError", "UssdContext"]


@dataclass
class Submission:
    """A stored report: its reference, the reporter's PIN, who handles it (None: not yet)."""

    reference: str
    pin: str
    organisation: str | None


class SubmitError(Exception):
    """The report could not be stored now; the person may try again."""


class UssdContext(Protocol):
    def org_choices(self, answers: dict, lang: str) -> list[tuple[str, str]]:
        """(org code, short name) of the selectable organisations covering the case, ~5 at most."""
        ...

    def cases_for_phone(self, phone: str) -> list[CaseStatus]:
        """The cases reported from this phone, most recent first."""
        ...

    def lookup(
        self, reference: str, pin: str | None, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        """A case by its 8-digit reference (pin None: asked from the reporter's own phone).

        None when unknown or the PIN is wrong (the two must look alike), "locked" after too
        many tries.
        """
        ...

    def submit(self, answers: dict, phone: str, lang: str) -> Submission:
        """Persist the report; may raise SubmitError."""
        ...

    def set_language(self, phone: str, lang: str) -> None:
        """Remember the language chosen for this phone."""
        ...
