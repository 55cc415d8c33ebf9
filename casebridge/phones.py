"""Phone numbers: parsing typed numbers to E.164, validation, masking (protocols.md C3-C5)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
MASK_HEAD = 3
MASK_TAIL = 4
MIN_HIDDEN = 2
_DOUBLE_ZERO = re.compile(r"\s*00\s*(?=\d)")


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _parse_valid(text: str, region: str) -> PhoneNumber | None:
    """A valid number typed nationally or internationally ("+62…", "62…", "0062…").

    libphonenumber only knows 00[89] as Indonesia's international prefix, so "0062…" is retried
    as "+62…" when the number does not parse as given.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    number = _parse(text, region)
    if number is not None and phonenumbers.is_valid_number(number):
        return number
    if _DOUBLE_ZERO.match(text):
        number = _parse(_DOUBLE_ZERO.sub("+", text, count=1), None)
        if number is not None and phonenumbers.is_valid_number(number):
            return number
    return None


def _e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise(text: str, region: str = "ID") -> str | None:
    """The number in E.164 ("+6281234567890"), or None when it is not a valid number.

    Numbers without a country code are read as numbers of `region`.
    """
    number = _parse_valid(text, region.upper())
    return _e164(number) if number is not None else None


_BARE_DIGITS = re.compile(r"[1-9][0-9]{6,14}")
"""A number reported without `+` or a prefix that says its country (7 to 15 digits)."""


def normalise_sender(text: str, region: str = "ID") -> str | None:
    """A sender as a phone or provider reported it, in the form to answer and file it under.

    E.164 when the form says which country it belongs to: "+…" or "00…" (international), "0…"
    (national in `region`), or `region`'s country code ("62…"); None when such a form is not a
    valid number. Bare digits that say no country ("6505551212", reported by a phone for a
    foreign sender) stay exactly as reported instead of being taken for a number of `region`.
    None for what is no phone number ("TELKOMSEL", a short code)."""
    if not isinstance(text, str):
        return None
    reported = text.strip()
    code = str(phonenumbers.country_code_for_region(region.upper()))
    if reported.startswith(("+", "0")):
        return normalise(reported, region)
    if reported.startswith(code):
        return normalise("+" + reported, region)
    return reported if _BARE_DIGITS.fullmatch(reported) else None


def normalise_for_country(text: str, country: str) -> str | None:
    """A number valid in `country` (ISO alpha-2) in E.164, e.g. a worker's phone abroad."""
    region = country.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return None
    number = _parse_valid(text, region)
    if number is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None
    return _e164(number)


def is_mobile(e164: str) -> bool:
    """Whether the number is a valid mobile number (or may be, where the plan cannot tell)."""
    number = _parse(e164, None)
    return (
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in MOBILE_TYPES
    )


def region(e164: str) -> str | None:
    """The ISO alpha-2 region of a valid number ("ID"), or None."""
    number = _parse(e164, None)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.region_code_for_number(number)


def _hide_middle(digits: str) -> str:
    tail = min(MASK_TAIL, max(len(digits) - MIN_HIDDEN, 0))
    head = min(MASK_HEAD, max(len(digits) - MIN_HIDDEN - tail, 0))
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[len(digits) - tail :]


_E164 = re.compile(r"\+([1-9]\d{6,14})")
PLAIN_CODES = frozenset({62, 60, 65, 673, 852, 853, 886, 81, 82, 966, 971, 974, 965, 968, 973, 962})
"""Country codes (Indonesia and where its workers go) whose E.164 numbers libphonenumber reads
as plain country code + national number (no prefix or carrier code to strip): `mask` splits
those without a full parse (tests/domain/test_phones.py checks it gives the same)."""


def _split_e164(text: str) -> tuple[int, str] | None:
    """(country code, national number) of a number stored as E.164, without a full parse
    (exports mask a million of them); None for anything else."""
    found = _E164.fullmatch(text)
    if found is None:
        return None
    digits = found[1]
    for size in (2, 3):
        code = int(digits[:size])
        if code in PLAIN_CODES:
            national = digits[size:]
            return (code, national) if not national.startswith("0") else None
    return None


def mask(e164: str) -> str:
    """The number with its middle digits hidden: "+6281234567890" -> "+62812****7890".

    Keeps the country code, the first 3 and the last 4 national digits; shorter numbers show
    fewer digits so that at least 2 stay hidden. Text that does not parse as a number shows
    only its last 2 characters.
    """
    split = _split_e164(e164)
    if split is not None:
        return f"+{split[0]}{_hide_middle(split[1])}"
    number = _parse(e164, None)
    if number is None:
        text = e164.strip()
        shown = MIN_HIDDEN if len(text) > 2 * MIN_HIDDEN else 0
        return "*" * (len(text) - shown) + text[len(text) - shown :]
    national = phonenumbers.national_significant_number(number)
    return f"+{number.country_code}{_hide_middle(national)}"
