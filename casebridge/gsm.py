"""GSM 03.38 (3GPP TS 23.038) helpers: alphabet checks, SMS segment counts, sanitising to GSM-7.

The alphabet comes from the `gsm0338` codec (protocols.md C1): a basic character takes one
septet, an extension character (`{ } [ ] ~ | ^ \\ €` and form feed) two.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

CODEC = "gsm03.38"
GSM7 = "GSM-7"
UCS2 = "UCS-2"
SINGLE_LIMIT = {GSM7: 160, UCS2: 70}
PART_LIMIT = {GSM7: 153, UCS2: 67}

_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2022": "-",
        "\u00b7": ".",
        "\u00d7": "x",
        "\t": " ",
    }
)
_DROPPED = "\x00"
_DROP_RUN = re.compile(" *(?:\x00 *)+")


@lru_cache(maxsize=2048)
def _cost(char: str) -> int:
    """Septets of one character: 1 basic, 2 extension, 0 when it is not in GSM-7."""
    if char == "\x1b":
        return 0
    try:
        return len(char.encode(CODEC))
    except UnicodeEncodeError:
        return 0


def is_gsm7(text: str) -> bool:
    """Whether the whole text fits the GSM-7 default alphabet and its extension."""
    return all(_cost(c) for c in text)


def non_gsm7(text: str) -> list[str]:
    """The characters that are not GSM-7, each once, in order of appearance."""
    return list(dict.fromkeys(c for c in text if not _cost(c)))


def septets(text: str) -> int:
    """Length of a GSM-7 text in septets; ValueError when it is not GSM-7."""
    bad = non_gsm7(text)
    if bad:
        raise ValueError(f"not GSM-7: {bad!r}")
    return sum(_cost(c) for c in text)


def segments(text: str) -> tuple[str, int]:
    """The encoding ("GSM-7" or "UCS-2") and number of SMS segments the text takes.

    One segment holds 160 septets (GSM-7) or 70 UTF-16 units (UCS-2); a concatenated message
    153 or 67 per segment. An escape pair or a surrogate pair never straddles two segments.
    An empty text still takes one segment.
    """
    if is_gsm7(text):
        encoding, costs = GSM7, [_cost(c) for c in text]
    else:
        encoding, costs = UCS2, [2 if ord(c) > 0xFFFF else 1 for c in text]
    if sum(costs) <= SINGLE_LIMIT[encoding]:
        return encoding, 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > PART_LIMIT[encoding]:
            parts, used = parts + 1, 0
        used += cost
    return encoding, parts


def _sanitise(char: str) -> str:
    if _cost(char):
        return char
    close = "".join(c for c in unicodedata.normalize("NFKD", char) if _cost(c))
    if close:
        return close
    if unicodedata.category(char)[0] in "SCMZ":
        return _DROPPED
    return "?"


def _join_drop(match: re.Match[str]) -> str:
    at_edge = match.start() == 0 or match.end() == len(match.string)
    return "" if at_edge or " " not in match.group() else " "


def to_gsm7(text: str) -> str:
    """The text with only GSM-7 characters, for free text that goes into our messages.

    Curly quotes, dashes, ellipses and special spaces become their ASCII look-alikes, accented
    letters lose the accent when GSM-7 lacks them ("ê" -> "e"), emoji and other symbols are
    dropped, and letters of other scripts become "?".
    """
    sanitised = "".join(_sanitise(c) for c in text.translate(_REPLACEMENTS))
    if _DROPPED not in sanitised:
        return sanitised
    return _DROP_RUN.sub(_join_drop, sanitised)
