"""Checks on one text (a USSD screen, what a call says, an SMS, a webhook's answer), the same
words in every channel:

    reply: "..."          # all of it
    starts: "..."         # how it begins
    contains: [a, b]      # these parts, in this order (one part may be written alone)
    lacks: [c]            # none of these
    same: true            # the reply before it, again
    capture: {ref: "No: (\\d{4}-\\d{4})"}   # the regex's one group, kept as `{ref}`
"""

from __future__ import annotations

import re

KEYS = ("reply", "starts", "contains", "lacks", "same", "capture")


def _listed(parts) -> list[str]:
    if parts is None:
        return []
    return [parts] if isinstance(parts, str) else list(parts)


def holds_in_order(text: str, parts) -> bool:
    position = 0
    for part in _listed(parts):
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def check(text: str, expect: dict, where: str, before: str | None = None) -> dict[str, str]:
    """Assert `expect` of `text`; returns what it captured."""
    shown = f"{where}\ngot:\n{text}"
    if "reply" in expect:
        assert text == expect["reply"], shown
    if "starts" in expect:
        assert text.startswith(expect["starts"]), shown
    position = 0
    for part in _listed(expect.get("contains")):
        found = text.find(part, position)
        assert found >= 0, f"{where}: {part!r} missing (after the parts before it) from\n{text}"
        position = found + len(part)
    for part in _listed(expect.get("lacks")):
        assert part not in text, f"{where}: {part!r} should not be in\n{text}"
    if expect.get("same"):
        assert text == before, f"{shown}\nbefore:\n{before}"
    captured = {}
    for name, pattern in (expect.get("capture") or {}).items():
        regex = re.compile(pattern)
        assert regex.groups == 1, f"{where}: capture {name} needs one group: {pattern!r}"
        match = regex.search(text)
        assert match, f"{where}: {pattern!r} not in\n{text}"
        captured[name] = match.group(1)
    return captured
