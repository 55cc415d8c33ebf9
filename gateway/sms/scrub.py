"""Keeping phone numbers out of error texts that end up on a case timeline or in logs."""

from __future__ import annotations

import re

from casebridge import phones

_NUMBER = re.compile(r"\+?\d[\d ]{6,}\d")


def scrub(text: str, limit: int = 300) -> str:
    """The text with every phone-like number masked ("+62812****7890"), at most `limit` long."""
    return _NUMBER.sub(lambda m: phones.mask(m.group().replace(" ", "")), text)[:limit]
