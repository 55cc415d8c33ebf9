"""The SMS dialogue's texts, per language (`gateway/sms/texts/<lang>.yaml`), Indonesian as
the fallback. Case notices to reporters live in `casebridge/texts` (see casebridge.notify)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from casebridge.texts import DEFAULT_LANGUAGE, LANGUAGES

__all__ = ["LANGUAGES", "catalogue", "lookup", "render"]


@cache
def catalogue(lang: str) -> dict:
    name = f"{lang}.yaml" if lang in LANGUAGES else f"{DEFAULT_LANGUAGE}.yaml"
    return yaml.safe_load((files(__package__) / "texts" / name).read_text(encoding="utf-8"))


def lookup(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The text at a dotted key ("ask.country"); KeyError when neither language has it."""
    for language in (lang, DEFAULT_LANGUAGE):
        node: object = catalogue(language)
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str):
            return node
    raise KeyError(f"no SMS text {key!r} in {lang!r} or {DEFAULT_LANGUAGE!r}")


def render(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    return lookup(key, lang).format(**values)
