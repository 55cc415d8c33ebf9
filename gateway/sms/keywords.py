"""Reading an SMS as a command: its first word against `keywords.yaml`, one typo tolerated on
keywords of 5+ letters, then the case reference (with or without dash or spaces) and PIN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from rapidfuzz.distance import OSA

from casebridge import refs

REPORTER = "reporter"
CASEWORKER = "caseworker"
TYPO_MIN_LENGTH = 5
"""Keywords at least this long also match a word one typo away."""

_FIRST_WORD = re.compile(r"\s*([^\W\d_]+)[\s.,:;!?]*(.*)", re.S)
_REF = re.compile(r"\s*(\d{4})[\s.\-]*(\d{4})(?!\d)[\s.,:;]*(.*)", re.S)
_HASH_REF = re.compile(r"\s*#\s*(\d{4}[\s.\-]*\d{4})(?!\d)[\s.,:;]*(.*)", re.S)
_PIN = re.compile(r"(\d{4})(?!\d)\s*(.*)", re.S)
LANGUAGE_WORDS = {
    "id": "id",
    "ind": "id",
    "indo": "id",
    "indonesia": "id",
    "en": "en",
    "eng": "en",
    "english": "en",
    "inggris": "en",
}


@dataclass(frozen=True)
class Command:
    """A recognised command. `rest` is the text after the keyword (and reference and PIN)."""

    name: str
    audience: str
    lang: str | None
    rest: str
    exact: bool = True
    """False when the keyword was matched despite a typo."""
    ref: str | None = None
    """The 8 digits of a reference as typed (the check digit is not verified here)."""
    pin: str | None = None


@dataclass(frozen=True)
class _Keywords:
    aliases: dict[str, dict[str, tuple[str, str | None]]]
    """audience -> ALIAS -> (command, language)."""
    alone: frozenset[str]
    not_keywords: frozenset[str]
    consent_words: frozenset[str]


@cache
def keywords() -> _Keywords:
    data = yaml.safe_load((files(__package__) / "keywords.yaml").read_text(encoding="utf-8"))
    aliases = {
        audience: {
            alias.upper(): (command, lang)
            for command, words in data[audience].items()
            for alias, lang in words.items()
        }
        for audience in (REPORTER, CASEWORKER)
    }
    return _Keywords(
        aliases,
        frozenset(data["alone"]),
        frozenset(w.upper() for w in data["not_keywords"]),
        frozenset(w.upper() for w in data["consent_words"]),
    )


def match_word(word: str, audience: str) -> tuple[str, str | None, bool] | None:
    """(command, language, exact) for a typed word, or None. A typo match must be unique."""
    table = keywords().aliases[audience]
    upper = word.upper()
    if upper in table:
        return (*table[upper], True)
    if len(upper) < TYPO_MIN_LENGTH - 1 or upper in keywords().not_keywords:
        return None
    close = {
        table[alias]
        for alias in table
        if len(alias) >= TYPO_MIN_LENGTH and OSA.distance(upper, alias, score_cutoff=1) <= 1
    }
    if len({command for command, _ in close}) != 1:
        return None
    command, lang = sorted(close, key=lambda c: c[1] or "")[0]
    return command, lang, False


def split_ref(text: str) -> tuple[str | None, str]:
    """The 8 digits of a leading reference ("4821-7739", "4821 7730", "48217739") and the
    rest of the text; (None, text) when it does not start with one."""
    m = _REF.fullmatch(text)
    if m is None:
        return None, text.strip()
    return m.group(1) + m.group(2), m.group(3).strip()


def language(text: str) -> str | None:
    """ "en", "id" or None for the argument of BAHASA/LANG."""
    return LANGUAGE_WORDS.get(text.strip().strip(".!").lower())


def has_consent_word(words: list[str]) -> bool:
    return any(w.upper().strip(".,") in keywords().consent_words for w in words)


def _reporter_command(name: str, lang: str | None, rest: str, exact: bool) -> Command | None:
    if name in keywords().alone and rest:
        return None
    if name == "language":
        chosen = language(rest)
        return Command(name, REPORTER, lang, chosen, exact) if chosen else None
    if name == "status":
        ref, after = split_ref(rest)
        pin = None
        m = _PIN.fullmatch(after) if ref else None
        if m:
            pin, after = m.group(1), m.group(2).strip()
        return Command(name, REPORTER, lang, after, exact, ref, pin)
    return Command(name, REPORTER, lang, rest, exact)


def parse(text: str, caseworker: bool = False) -> Command | None:
    """The command an SMS holds, or None for a plain message.

    A caseworker's keywords win for a caseworker's phone. From anyone else a caseworker keyword
    counts only when a reference follows it ("Terima kasih" is thanks, "TERIMA 4821-7739" a
    command to refuse), so the handler can answer it neutrally.
    """
    hashed = _HASH_REF.fullmatch(text)
    if hashed:
        ref, _ = split_ref(hashed.group(1))
        return Command("update", CASEWORKER, None, hashed.group(2).strip(), True, ref)
    first = _FIRST_WORD.fullmatch(text)
    if first is None:
        return None
    word, rest = first.group(1), first.group(2).strip()
    as_caseworker = match_word(word, CASEWORKER)
    if caseworker and as_caseworker:
        name, lang, exact = as_caseworker
        ref, after = split_ref(rest)
        return Command(name, CASEWORKER, lang, after, exact, ref)
    as_reporter = match_word(word, REPORTER)
    if as_reporter:
        command = _reporter_command(as_reporter[0], as_reporter[1], rest, as_reporter[2])
        if command is not None:
            return command
    if as_caseworker:
        ref, after = split_ref(rest)
        if ref is not None:
            name, lang, exact = as_caseworker
            return Command(name, CASEWORKER, lang, after, exact, ref)
    return None


def is_valid_ref(digits: str | None) -> bool:
    return digits is not None and refs.is_valid(digits)
