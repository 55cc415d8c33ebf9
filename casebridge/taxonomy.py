"""Complaint categories, destination countries, genders and relationships, with their labels.

Labels live in `casebridge/texts/taxonomy.yaml` (Indonesian first, then English); names of
other countries come from pycountry.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pycountry
import yaml
from rapidfuzz import fuzz, process

from .gsm import to_gsm7
from .places import fold
from .texts import DEFAULT_LANGUAGE, LANGUAGES

CATEGORIES: tuple[str, ...] = (
    "repatriation",
    "unpaid_wages",
    "deportation",
    "failed_departure",
    "death",
    "job_fraud",
    "lost_contact",
    "documents_withheld",
    "contract_violation",
    "overcharging",
    "illness",
    "violence",
    "trafficking",
    "detention",
    "insurance",
    "other",
)
SENSITIVE_CATEGORIES: frozenset[str] = frozenset({"violence", "trafficking", "detention", "death"})
DESTINATIONS: tuple[str, ...] = ("MY", "TW", "HK", "SA", "SG", "AE", "KR", "BN", "QA", "OM", "JP")
GENDERS: tuple[str, ...] = ("female", "male", "unspecified")
RELATIONSHIPS: tuple[str, ...] = ("self", "spouse", "parent", "child", "sibling", "other")

COUNTRY_CUTOFF = 80.0
SHORT_COUNTRY_CUTOFF = 88.0
WORD_SET_WEIGHT = 0.95

__all__ = [
    "CATEGORIES",
    "DESTINATIONS",
    "GENDERS",
    "LANGUAGES",
    "RELATIONSHIPS",
    "SENSITIVE_CATEGORIES",
    "category_label",
    "country_name",
    "find_country",
    "gender_label",
    "is_category",
    "is_country",
    "relationship_label",
]


@cache
def _labels() -> dict[str, dict[str, dict]]:
    text = (files(__package__) / "texts" / "taxonomy.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _label(section: str, code: str, lang: str) -> str:
    entry = _labels()[section][code]
    return entry.get(lang) or entry[DEFAULT_LANGUAGE]


def is_category(code: str) -> bool:
    """Whether `code` is one of CATEGORIES."""
    return code in CATEGORIES


def category_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Short GSM-7 label of a category ("Gaji tidak dibayar"); KeyError for an unknown code."""
    return _label("categories", code, lang)


def gender_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of a gender code ("Perempuan"); KeyError for an unknown code."""
    return _label("genders", code, lang)


def relationship_label(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of the reporter's relationship to the worker ("Orang tua"); KeyError if unknown."""
    return _label("relationships", code, lang)


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 country code ("MY")."""
    return (
        isinstance(code, str)
        and len(code) == 2
        and pycountry.countries.get(alpha_2=code.upper()) is not None
    )


def country_name(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Short GSM-7 name of a country ("Arab Saudi"); the code itself when it is unknown."""
    code = code.strip().upper()
    ours = _labels()["countries"].get(code)
    if ours:
        return ours.get(lang) or ours[DEFAULT_LANGUAGE]
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    english = getattr(country, "common_name", None) or country.name
    return to_gsm7(_translations(lang).gettext(english) if lang != "en" else english)


@dataclass(frozen=True, slots=True)
class _CountryIndex:
    exact: dict[str, str]
    keys: list[str]
    owners: list[str]


@cache
def _country_index() -> _CountryIndex:
    """Every typed form of every country, destinations first so they win ties."""
    names: dict[str, list[str]] = {}
    for code, entry in _labels()["countries"].items():
        names[code] = [entry["id"], entry["en"], *entry.get("aliases", [])]
    for code, aliases in _labels().get("country_aliases", {}).items():
        names.setdefault(code, []).extend(aliases)
    for country in pycountry.countries:
        forms = [
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        forms += [_translations(lang).gettext(f) for lang in LANGUAGES for f in forms if f]
        names.setdefault(country.alpha_2, []).extend(f for f in forms if f)
    exact: dict[str, str] = {}
    keys: list[str] = []
    owners: list[str] = []
    for code, forms in names.items():
        for key in dict.fromkeys(fold(f) for f in forms):
            if key:
                exact.setdefault(key, code)
                keys.append(key)
                owners.append(code)
    return _CountryIndex(exact, keys, owners)


def find_country(text: str) -> str | None:
    """The ISO alpha-2 code of the country typed in `text`, or None when nothing is close.

    Accepts Indonesian or English names with typos ("malaysa", "Arab Saudi", "hongkong"),
    common short forms ("saudi", "Korsel") and ISO alpha-2/alpha-3 codes ("HK", "MYS").
    """
    if not isinstance(text, str):
        return None
    index = _country_index()
    query = fold(text)
    if query in index.exact:
        return index.exact[query]
    raw = text.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", raw):
        raw = raw.upper()
        field = "alpha_2" if len(raw) == 2 else "alpha_3"
        country = pycountry.countries.get(**{field: raw})
        return country.alpha_2 if country else None
    if len(query) < 4:
        return None
    cutoff = COUNTRY_CUTOFF if len(query) > 5 else SHORT_COUNTRY_CUTOFF
    best: tuple[float, int] | None = None
    for scorer, weight in ((fuzz.ratio, 1.0), (fuzz.token_set_ratio, WORD_SET_WEIGHT)):
        found = process.extractOne(
            query, index.keys, scorer=scorer, score_cutoff=cutoff / weight, processor=None
        )
        if found and (best is None or (found[1] * weight, -found[2]) > (best[0], -best[1])):
            best = (found[1] * weight, found[2])
    return index.owners[best[1]] if best else None
