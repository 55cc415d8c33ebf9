"""Page texts from per-language data files (`gateway/web/texts/<lang>.yaml`), Indonesian first."""

from __future__ import annotations

from pathlib import Path

from babel.dates import format_datetime
from flask import request, session

from casebridge.texts import LANGUAGES, Texts

_texts = Texts(Path(__file__).parent / "texts", "page text")


def current_language() -> str:
    """`?lang=` switches and is remembered in the session; Indonesian by default."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
    return session.get("lang", "id") if session.get("lang") in LANGUAGES else "id"


def translator(lang: str):
    def t(key: str, **values: object) -> str:
        try:
            text = _texts.lookup(key, lang)
        except KeyError:
            return key
        return text.format(**values) if values else text

    return t


def when(value, lang: str) -> str:
    if value is None:
        return "-"
    return format_datetime(
        value, "d MMM yyyy HH:mm", tzinfo=None, locale="id_ID" if lang == "id" else "en_GB"
    )
