"""Texts people read, from per-language data files: the one reader of every `<lang>.yaml`
(case notices here in `casebridge/texts/`, the SMS dialogue, the pages, the USSD menus, the
voice prompts) and the one list of languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TEXTS_DIR = Path(__file__).parent / "texts"
DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")
"""The languages the service speaks, Indonesian first (the fallback)."""


class TextsError(ValueError):
    """A texts file that cannot be read: the message names the file and the line."""


def read_file(path: Path) -> Any:
    """One texts file's data; TextsError when it is missing or is not valid YAML."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise TextsError(f"{Path(path).name}: cannot be read: {exc}".replace("\n", " ")) from exc


def language_files(directory: Path) -> dict[str, Path]:
    """`<lang>.yaml` files in a folder by language, the default language first."""
    found = {p.stem: p for p in sorted(Path(directory).glob("*.yaml"))}
    return dict(sorted(found.items(), key=lambda item: (item[0] != DEFAULT_LANGUAGE, item[0])))


class Texts:
    """One folder of `<lang>.yaml` files: dotted keys, Indonesian as the fallback."""

    def __init__(self, directory: Path, label: str = "text"):
        self.directory = directory
        self.label = label
        self._loaded: dict[str, dict] = {}

    def catalogue(self, lang: str) -> dict:
        name = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        if name not in self._loaded:
            self._loaded[name] = read_file(self.directory / f"{name}.yaml") or {}
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
