"""Fitting texts into one USSD screen: GSM-7 only, at most `LIMIT` septets.

Fixed texts come from the data files; values (names people typed, organisation names,
labels) are shortened when the whole would not fit, and long lists are split into pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from casebridge.gsm import septets, to_gsm7

from .screens import LIMIT

FLOOR = 10
"""A value is never shortened below this many characters; past that the text is too long."""

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLAIN = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "~": "-",
        "|": "/",
        "\\": "/",
        "^": " ",
        "€": "E",
        "\f": " ",
        "\x1b": " ",
        "\r": " ",
        "\n": " ",
    }
)


def clean(text: str, limit: int | None = None) -> str:
    """A value for a screen: GSM-7, one septet per character, one line, at most `limit` long."""
    value = " ".join(gsm(str(text)).translate(_PLAIN).split())
    return shorten(value, limit) if limit is not None else value


def shorten(value: str, limit: int) -> str:
    """The value cut to `limit` characters, a final "." showing that it was cut."""
    if len(value) <= limit:
        return value
    if limit < 2:
        return value[: max(limit, 0)]
    return value[: limit - 1].rstrip() + "."


@lru_cache(maxsize=4096)
def gsm(text: str) -> str:
    """The text in GSM-7 (see casebridge.gsm.to_gsm7); kept, since screens repeat."""
    return to_gsm7(text)


@lru_cache(maxsize=4096)
def length(text: str) -> int:
    """Septets the text takes (an extension character such as `{` counts 2)."""
    return septets(gsm(text))


def placeholders(template: str) -> list[str]:
    """The {names} a template uses."""
    return _PLACEHOLDER.findall(template)


def clip(text: str, budget: int = LIMIT) -> str:
    """The text cut so that it takes at most `budget` septets; a last resort."""
    text = gsm(text)
    if length(text) <= budget:
        return text
    used = 0
    for i, char in enumerate(text):
        used += septets(char)
        if used > budget:
            return text[:i]
    return text


def _cap(lengths: Sequence[int], room: int) -> int:
    """The largest length cap such that the capped lengths add up to at most `room`."""
    remaining = room
    ordered = sorted(lengths)
    for i, size in enumerate(ordered):
        left = len(ordered) - i
        if size * left <= remaining:
            remaining -= size
        else:
            return remaining // left
    return max(ordered, default=0)


def fill(
    template: str,
    value: Callable[[str], str | None],
    budget: int = LIMIT,
    floor: int = FLOOR,
) -> tuple[str, int]:
    """The template with its {placeholders} filled, shortening values so the text fits.

    `value(name)` gives a value, or None to leave "{name}" as written. Returns the text,
    clipped to `budget` if it still does not fit, and its length before clipping.
    """
    parts = _PLACEHOLDER.split(template)
    literals, names = parts[0::2], parts[1::2]
    values: list[str | None] = []
    for name in names:
        found = value(name)
        values.append(clean(found) if found is not None else None)
    fixed = sum(length(lit) for lit in literals)
    fixed += sum(len(n) + 2 for n, v in zip(names, values, strict=True) if v is None)
    sizes = [len(v) for v in values if v is not None]
    if fixed + sum(sizes) > budget and sizes:
        cap = max(_cap(sizes, budget - fixed), floor)
        values = [shorten(v, cap) if v is not None else None for v in values]
    out = [literals[0]]
    for name, val, lit in zip(names, values, literals[1:], strict=True):
        if val is not None and val.endswith(".") and lit.startswith("."):
            val = val[:-1]  # "Sela." + "." would show two dots
        out.append(val if val is not None else "{" + name + "}")
        out.append(lit)
    text = gsm("".join(out))
    natural = length(text)
    return (text if natural <= budget else clip(text, budget)), natural


def paginate(
    head: str,
    items: Sequence[str],
    first: int,
    pinned: Sequence[str],
    more: str,
    tail: Sequence[str],
    budget: int = LIMIT,
) -> tuple[str, int, int]:
    """`head`, the items from `first` that fit, `pinned`, `more` when items remain, `tail`.

    Returns the text, how many items it shows and its length before any clipping.
    At least one item is shown (shortened if it must be).
    """
    if first >= len(items):
        first = 0
    base = length(head) + sum(1 + length(t) for t in [*pinned, *tail])
    more_cost = 1 + length(more)
    shown: list[str] = []
    used = base
    for i in range(first, len(items)):
        cost = 1 + length(items[i])
        reserve = more_cost if i + 1 < len(items) else 0
        if used + cost + reserve > budget:
            break
        shown.append(items[i])
        used += cost
    if not shown and first < len(items):
        reserve = more_cost if first + 1 < len(items) else 0
        room = max(budget - base - reserve - 1, FLOOR)
        shown.append(shorten(clean(items[first]), room))
    lines = [head, *shown, *pinned]
    if first + len(shown) < len(items):
        lines.append(more)
    lines.extend(tail)
    text = gsm("\n".join(line for line in lines if line))
    natural = length(text)
    return (text if natural <= budget else clip(text, budget)), len(shown), natural
