"""Checking what people type on input screens (`validate:` in a menu file).

A validator accepts the text (answers to record, or a normalised value for an action),
offers close matches to choose from, or refuses it with a hint (a `common` text key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.utils import default_process

from casebridge import places, refs, taxonomy
from casebridge.origin import Origin, parse_origin
from casebridge.phones import normalise_for_country

NAME_MAX = 60
DESCRIPTION_MAX = 160
DESCRIPTION_MIN = 3
PIN_LENGTH = 4
HOME_COUNTRY = "ID"


@dataclass(frozen=True)
class Result:
    """What a validator made of the text."""

    answers: dict[str, Any] | None = None
    value: str | None = None
    candidates: list[list[Any]] | None = None
    """[[label, answers], …] when several names are close: the person picks one."""
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.hint is None and self.candidates is None


def _words(text: str) -> str:
    return " ".join(text.split())


def name(text: str, answers: dict) -> Result:
    value = _words(text)[:NAME_MAX].strip()
    if len(value) < 2 or not any(c.isalpha() for c in value):
        return Result(hint="bad_name")
    return Result(answers={"worker_name": value})


def country(text: str, answers: dict) -> Result:
    code = taxonomy.find_country(text) if text.strip() else None
    if not code or code == HOME_COUNTRY:
        return Result(hint="bad_country")
    return Result(answers={"country": code})


def _exact(text: str, names: list[str]) -> bool:
    typed = default_process(text)
    if typed.startswith("kab "):
        typed = "kabupaten " + typed[4:].lstrip()
    return any(typed == default_process(n) for n in names if n)


def _choose(text: str, found: list, names: Callable, answers: Callable) -> Result:
    """One match, or one typed exactly, is taken; otherwise the person picks."""
    if not found:
        return Result(hint="bad_place")
    exact = [m for m in found if _exact(text, names(m))]
    if len(found) == 1 or len(exact) == 1:
        return Result(answers=answers(found[0] if len(found) == 1 else exact[0]))
    return Result(candidates=[[m.name, answers(m)] for m in found])


@lru_cache(maxsize=2048)
def _provinces(text: str) -> tuple:
    """Fuzzy matching costs ~70 µs; people type the same few places again and again."""
    return tuple(places.match_province(text, limit=5))


@lru_cache(maxsize=4096)
def _regencies(text: str, province_code: str | None) -> tuple:
    return tuple(places.match_regency(text, province_code, limit=5))


@lru_cache(maxsize=4096)
def _origin(text: str, province_code: str | None) -> Origin:
    return parse_origin(text, within=province_code)


def province(text: str, answers: dict) -> Result:
    """A province; a regency typed with a province it is not in is refused."""
    if text.strip() and _origin(text, None).conflict:
        return Result(hint="place_conflict")
    found = list(_provinces(text)) if text.strip() else []
    return _choose(
        text,
        found,
        lambda p: [p.name, getattr(p, "name_en", "")],
        lambda p: {"province": p.code},
    )


def regency(text: str, answers: dict) -> Result:
    """A regency of the province chosen before, alone or with its province ("Banyuwangi,
    Jatim"); one of another province is refused."""
    if not text.strip():
        return Result(hint="bad_place")
    code = answers.get("province")
    origin = _origin(text, code)
    if origin.conflict:
        return Result(hint="place_conflict")
    found = list(origin.alternatives) or list(_regencies(text, code))
    return _choose(
        text,
        found,
        lambda r: [r.name, r.short],
        lambda r: {"regency": r.name, "regency_code": r.code},
    )


def phone(text: str, answers: dict) -> Result:
    where = answers.get("country")
    number = normalise_for_country(text, where) if where and text.strip() else None
    if not number:
        return Result(hint="bad_phone")
    return Result(answers={"worker_phone": number})


def description(text: str, answers: dict) -> Result:
    value = _words(text)[:DESCRIPTION_MAX].strip()
    if len(value) < DESCRIPTION_MIN:
        return Result(hint="bad_text")
    return Result(answers={"description": value})


def reference(text: str, answers: dict) -> Result:
    """A case reference: 8 digits, dash or spaces allowed, the last one a Damm check digit."""
    digits = refs.normalise(text)
    if digits is None or not refs.is_valid(digits):
        return Result(hint="bad_ref")
    return Result(value=digits)


def pin(text: str, answers: dict) -> Result:
    value = text.strip()
    if len(value) != PIN_LENGTH or not (value.isascii() and value.isdigit()):
        return Result(hint="bad_pin")
    return Result(value=value)


VALIDATORS: dict[str, Callable[[str, dict], Result]] = {
    "name": name,
    "country": country,
    "province": province,
    "regency": regency,
    "phone": phone,
    "text": description,
    "reference": reference,
    "pin": pin,
}
HINT_OF = {
    "name": ("bad_name",),
    "country": ("bad_country",),
    "province": ("bad_place", "place_conflict"),
    "regency": ("bad_place", "place_conflict"),
    "phone": ("bad_phone",),
    "text": ("bad_text",),
    "reference": ("bad_ref",),
    "pin": ("bad_pin",),
}
"""The `common` text keys each validator may answer with when it refuses the text."""


def validate(kind: str, text: str, answers: dict) -> Result:
    """Run the validator called `kind`; an unknown one refuses everything."""
    check = VALIDATORS.get(kind)
    return check(text, answers) if check else Result(hint="wrong")
