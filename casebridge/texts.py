"""Texts people read, from per-language data files (`casebridge/texts/<lang>.yaml`)."""

from __future__ import annotations

from pathlib import Path

import yaml

TEXTS_DIR = Path(__file__).parent / "texts"
DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")


class Texts:
    """One folder of `<lang>.yaml` files: dotted keys, Indonesian as the fallback."""

    def __init__(self, directory: Path, label: str = "text"):
        self.directory = directory
        self.label = label
        self._loaded: dict[str, dict] = {}

    def catalogue(self, lang: str) -> dict:
        name = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        if name not in self._loaded:
            with (self.directory / f"{name}.yaml").open(encoding="utf-8") as fh:
                self._loaded[name] = yaml.safe_load(fh) or {}
        return self._loaded[name]

    def lookup(self, key: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """The text at a dotted key ("status.new"); KeyError when neither language has it."""
        for language in (lang, DEFAULT_LANGUAGE):
            node: object = self.catalogue(language)
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, str):
                return node
        raise KeyError(f"no {self.label} {key!r} in {lang!r} or {DEFAULT_LANGUAGE!r}")

    def render(self, key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
        return self.lookup(key, lang).format(**values)


_texts = Texts(TEXTS_DIR)
catalogue = _texts.catalogue
lookup = _texts.lookup
render = _texts.render


def status_word(status: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return lookup(f"status.{status}", lang)
