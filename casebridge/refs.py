"""Case references: seven random digits and a Damm check digit, shown as NNNN-NNNN."""

from __future__ import annotations

import re
import secrets

# The Damm quasigroup of order 10 (weakly totally anti-symmetric): a single wrong digit
# and any swap of two neighbouring digits always change the check digit.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = re.compile(r"[\s\-.]+")


def check_digit(digits: str) -> str:
    """The Damm check digit of a string of digits."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def generate() -> str:
    """A new random reference: 8 digits, the last one the check digit."""
    body = f"{secrets.randbelow(10**7):07d}"
    return body + check_digit(body)


def normalise(text: str | None) -> str | None:
    """The 8 digits of a typed reference ("4821-7739", "4821 7730", "48217739"), or None."""
    if not text:
        return None
    digits = _SEPARATORS.sub("", text.strip())
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def is_valid(text: str | None) -> bool:
    """True when the text is 8 digits (separators allowed) whose check digit matches."""
    digits = normalise(text)
    return digits is not None and check_digit(digits) == "0"


def format_ref(digits: str) -> str:
    """Display form NNNN-NNNN."""
    return f"{digits[:4]}-{digits[4:]}"
