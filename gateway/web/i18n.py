"""Page texts from per-language data files (`gateway/web/texts/<lang>.yaml`), Indonesian first."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_datetime
from flask import request, session

TEXTS = Path(__file__).parent / "texts"
LANGUAGES = ("id", "en")


@cache
def _catalogue(lang: str) -> dict[str, str]:
    with (TEXTS / f"{lang}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def current_language() -> str:
    """`?lang=` switches and is remembered in the session; Indonesian by default."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
    return session.get("lang", "id") if session.get("lang") in LANGUAGES else "id"


def translator(lang: str):
    texts = _catalogue(lang)
    fallback = _catalogue("id")

    def t(key: str, **values: object) -> str:
        text = texts.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t


def when(value, lang: str) -> str:
    if value is None:
        return "-"
    return format_datetime(
        value, "d MMM yyyy HH:mm", tzinfo=None, locale="id_ID" if lang == "id" else "en_GB"
    )
