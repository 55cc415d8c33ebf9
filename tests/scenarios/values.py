"""Placeholders in scenario strings: `{name}` is a value captured from an earlier reply (or
given by the channel's driver), `{filter:name}` a form of it.

Filters: `digits` (only its digits: "4821-7739" -> "48217739"), `each` (digits one by one:
"4 8 2 1 7 7 3 9"), `spelled` (as a voice reads it: "4 8 2 1, 7 7 3 9"), `typo` (the first digit
wrong), `other` (every digit wrong: a PIN that surely fails).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ivr_scripts.catalogue import spell_digits

PLACEHOLDER = re.compile(r"\{(?:([a-z]+):)?([a-z][a-z0-9_]*)\}")
"""Names start with a letter, so a regex's `{4}` is never one."""


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _shifted(digit: str) -> str:
    return str((int(digit) + 1) % 10) if digit.isdigit() else digit


FILTERS: dict[str, Callable[[str], str]] = {
    "digits": _digits,
    "each": lambda value: " ".join(_digits(value)),
    "spelled": spell_digits,
    "typo": lambda value: _shifted(_digits(value)[0]) + _digits(value)[1:],
    "other": lambda value: "".join(_shifted(ch) for ch in value),
}


class Values(dict):
    """The values known so far in one replay, and `fill` to put them into strings."""

    def fill(self, value: Any) -> Any:
        """`value` with every placeholder replaced, in strings, lists and mappings."""
        if isinstance(value, str):
            return PLACEHOLDER.sub(self._one, value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k == "capture" else self.fill(v) for k, v in value.items()}
        return value

    def _one(self, match: re.Match) -> str:
        name_of_filter, name = match.groups()
        assert name in self, f"{{{name}}} is not known yet (known: {sorted(self)})"
        if name_of_filter is None:
            return self[name]
        assert name_of_filter in FILTERS, f"no filter {name_of_filter!r} (known: {sorted(FILTERS)})"
        return FILTERS[name_of_filter](self[name])
