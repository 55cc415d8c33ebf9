"""Texts for caseworkers and organisations' inboxes, per language
(`casebridge/forwarding/texts/<lang>.yaml`), Indonesian as the fallback."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .. import places, taxonomy
from ..texts import DEFAULT_LANGUAGE, LANGUAGES

TEXTS_DIR = Path(__file__).parent / "texts"


@cache
def catalogue(lang: str) -> dict:
    name = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    with (TEXTS_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def lookup(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text at a dotted key ("sms.assigned"); KeyError when neither language has it."""
    for language in (lang, DEFAULT_LANGUAGE):
        node: object = catalogue(language)
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            return node
    raise KeyError(f"no forwarding text {key!r} in {lang!r} or {DEFAULT_LANGUAGE!r}")


def render(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    return lookup(key, lang).format(**values)


def place(country: str | None, province: str | None, regency: str | None, lang: str) -> str:
    """Where the worker is and comes from, as briefly as a caseworker needs it."""
    parts = []
    if country:
        parts.append(taxonomy.country_name(country, lang))
    origin = places.province(province) if province and not regency else None
    if regency or origin:
        parts.append(regency or origin.name)
    return " / ".join(parts) or lookup("unknown_place", lang)


def language_of(languages: list[str] | None) -> str:
    """The first language of an organisation we have texts in."""
    return next((lang for lang in languages or () if lang in LANGUAGES), DEFAULT_LANGUAGE)
