"""A report by SMS: what is missing is asked one question at a time; the state lives in Redis
for a day, keyed by the phone's blind index and sealed (`DataKeys.encrypt`): a copy of Redis
shows no name, description or number; when nothing is missing the turn carries a Report to
submit. While a rotation runs, a dialogue is also looked for under the phone's older indexes.

State: {"v": 1, "lang": "id", "asking": "country", "tries": 0, "answers": {...},
"description": "…", "at": <unix seconds of the last change>}."""

from __future__ import annotations

import json
import time
from typing import Any

from casebridge.reports import MAX_DESCRIPTION, Report
from casebridge.sealed import open_text

from . import questions
from .turn import Turn

VERSION = 1
TTL_SECONDS = 24 * 3600


def _key(who: str) -> str:
    return f"pengaduan:sms:report:{who}"


def _keys(turn: Turn) -> list[str]:
    """The dialogue's key under each data key, the current first."""
    return [_key(who) for who in turn.settings.data_keys.indexes(turn.phone)]


def load(turn: Turn) -> dict[str, Any] | None:
    """The unfinished report of this phone, or None (none, expired or not ours)."""
    keys = turn.settings.data_keys
    raw = turn.redis.get(_key(keys.index(turn.phone)))
    if raw is None and len(keys.ids) > 1:
        raw = next(filter(None, turn.redis.mget(_keys(turn)[1:])), None)
    text = open_text(keys, raw)
    if text is None:
        return None
    try:
        state = json.loads(text)
    except ValueError:
        return None
    if not isinstance(state, dict) or state.get("v") != VERSION:
        return None
    if time.time() - float(state.get("at", 0)) > TTL_SECONDS:
        return None
    return state


def _save(turn: Turn, state: dict[str, Any]) -> None:
    state["at"] = time.time()
    keys = turn.settings.data_keys
    sealed = keys.encrypt(json.dumps(state))
    turn.redis.set(_key(keys.index(turn.phone)), sealed, ex=TTL_SECONDS)


def clear(turn: Turn) -> None:
    turn.redis.delete(*_keys(turn))


def start(turn: Turn, description: str | None) -> None:
    """Begin a report; facts the first message already gives are not asked again."""
    description = (description or "").strip() or None
    state = {
        "v": VERSION,
        "lang": turn.lang,
        "asking": None,
        "tries": 0,
        "answers": questions.guess(description) if description else {},
        "description": description,
    }
    _advance(turn, state)


def answer(turn: Turn, state: dict[str, Any]) -> None:
    """Read the reply to the question asked; ask again (once) when it is not understood or
    contradicts itself (a regency not in the province named with it)."""
    turn.lang = state.get("lang") or turn.lang
    asking = state.get("asking")
    if asking not in questions.DEFAULTS:
        _advance(turn, state)
        return
    again = None
    try:
        found = questions.read(asking, turn.text, state["answers"], turn.lang)
    except questions.AskAgain as unclear:
        found, again = None, unclear.text
    if found is None:
        if asking == "category" and not turn.text.strip().isdigit():
            _describe(state, turn.text)  # the reporter's own words about the problem
        state["tries"] = int(state.get("tries", 0)) + 1
        if state["tries"] < questions.dialogue()["tries"]:
            _save(turn, state)
            turn.send(again or questions.retry(asking, turn.lang))
            return
        found = dict(questions.DEFAULTS[asking])
    _describe(state, found.pop("extra", None))
    state["answers"].update(found)
    state["tries"] = 0
    _advance(turn, state)


def _describe(state: dict[str, Any], words: str | None) -> None:
    words = (words or "").strip()
    if words:
        state["description"] = " / ".join(p for p in (state.get("description"), words) if p)


def _advance(turn: Turn, state: dict[str, Any]) -> None:
    asking = questions.next_question(state["answers"])
    if asking is None:
        turn.report = _report(turn, state)
        clear(turn)
        return
    state["asking"] = asking
    _save(turn, state)
    channel = turn.channel
    choices = questions.interactive(asking, state["answers"], turn.lang, channel)
    turn.send(
        questions.ask(asking, state["answers"], turn.lang, channel),
        meta=choices if channel == "whatsapp" else None,
    )


def _report(turn: Turn, state: dict[str, Any]) -> Report:
    a = state["answers"]
    relationship = a.get("relationship") or "self"
    name = a.get("name")
    description = state.get("description")
    return Report(
        reporter_phone=turn.phone,
        category=a.get("category") or "other",
        channel=turn.channel,
        reporter_name=name if relationship == "self" else None,
        relationship=relationship,
        language=turn.lang,
        sms_safe=bool(a.get("sms_safe")),
        worker_name=name,
        worker_gender=a.get("gender") or "unspecified",
        country=a.get("country"),
        province=a.get("province"),
        regency=a.get("regency"),
        regency_code=a.get("regency_code"),
        description=description[:MAX_DESCRIPTION] if description else None,
    )
