"""Texts for caseworkers and organisations' inboxes, per language
(`casebridge/forwarding/texts/<lang>.yaml`), Indonesian as the fallback."""

from __future__ import annotations

from pathlib import Path

from .. import places, taxonomy
from ..texts import DEFAULT_LANGUAGE, LANGUAGES, Texts

TEXTS_DIR = Path(__file__).parent / "texts"
_texts = Texts(TEXTS_DIR, "forwarding text")
catalogue = _texts.catalogue
lookup = _texts.lookup
render = _texts.render


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
