"""What one USSD hop shows."""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 182
"""GSM-7 characters (septets) a USSD screen may hold (protocols.md A1.3)."""


@dataclass(frozen=True)
class Screen:
    """The text of one screen, without the "CON "/"END " prefix; `end` closes the session."""

    text: str
    end: bool
