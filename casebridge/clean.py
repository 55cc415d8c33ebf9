"""What no channel may store: NUL, lone surrogates and the other C0 control characters.

PostgreSQL refuses a NUL in text and a lone surrogate cannot be encoded as UTF-8, so a report
holding one would be acknowledged and then never become a case. Every channel cleans what it
receives with `text` at its boundary; newline and tab stay, a carriage return becomes a newline."""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n?")
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff]")


def text(value: str) -> str:
    """`value` without the characters that cannot be stored or shown."""
    return _UNSTORABLE.sub("", _NEWLINES.sub("\n", value))


def optional(value: str | None) -> str | None:
    """`text` for a value that may be missing."""
    return None if value is None else text(value)
