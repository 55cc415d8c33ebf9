"""Texts people read, from per-language data files (`casebridge/texts/<lang>.yaml`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TEXTS_DIR = Path(__file__).parent / "texts"
DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")


@cache
def catalogue(lang: str) -> dict:
    path = TEXTS_DIR / f"{lang}.yaml"
    if not path.is_file():
        path = TEXTS_DIR / f"{DEFAULT_LANGUAGE}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def lookup(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text at a dotted key, falling back to Indonesian; KeyError when missing in both."""
    for language in (lang, DEFAULT_LANGUAGE):
        node: object = catalogue(language)
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            return node
    raise KeyError(f"no text {key!r} in {lang!r} or {DEFAULT_LANGUAGE!r}")


def render(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    return lookup(key, lang).format(**values)


def status_word(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return lookup(f"status.{status}", lang)
