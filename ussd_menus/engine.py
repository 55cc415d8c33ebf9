"""The USSD engine: (menu, state, input) -> (state, screen), pure apart from the context.

The state is a small JSON-serialisable dict, stored by the caller between hops:

    {"v": 1, "phone": "+62…", "lang": "id",
     "at": "country",          # the current screen
     "pg": [0, 6],             # first list item (or page) shown, and how many were shown
     "back": ["main", "who"],  # where "0" goes, most recent last
     "ans": {...},             # the report's answers so far (ANSWER_KEYS, plus "_org_name")
     "tmp": {...},             # what the current screen alone needs (matches, a case, a ref)
     "edit": false,            # changing one answer from the summary
     "rep": {"at": …, "back": […]}}  # where an unfinished report stopped, once left
"""

from __future__ import annotations

from typing import Any

from .actions import ACTIONS
from .answers import record
from .context import UssdContext
from .menu import Menu, Option, ScreenDef, load
from .navigation import BACK_MAX, MAIN, RESUME, Hop, go, point, show, unfinished
from .render import Sources
from .screens import Screen
from .validate import validate

__all__ = ["Screen", "in_report", "start", "step"]

VERSION = 1
HOME, BACK, MORE = "00", "0", "98"
SKIP = "1"


def _new(phone: str, lang: str, menu: Menu) -> dict[str, Any]:
    if lang not in menu.languages:
        lang = menu.languages[0] if menu.languages else "id"
    return {
        "v": VERSION,
        "phone": str(phone),
        "lang": lang,
        "at": MAIN,
        "pg": [0, 0],
        "back": [],
        "ans": {},
        "tmp": {},
        "edit": False,
    }


def in_report(state: dict) -> bool:
    """Whether the state holds an unfinished report worth offering to continue."""
    return unfinished(state, load())


def _copy(state: Any, menu: Menu) -> dict[str, Any] | None:
    """A copy of a stored state, or None when it is not one of ours."""
    if not isinstance(state, dict) or state.get("v") != VERSION:
        return None
    try:
        copy = _new(state["phone"], state["lang"], menu)
        copy.update(
            at=str(state["at"]),
            pg=[int(state["pg"][0]), int(state["pg"][1])],
            back=[str(s) for s in state["back"]][-BACK_MAX:],
            ans=dict(state["ans"]),
            tmp=dict(state["tmp"]),
            edit=bool(state.get("edit")),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    stopped = point({"rep": state["rep"]}, menu) if state.get("rep") else None
    if stopped:
        copy["rep"] = stopped
    return copy


def start(
    phone: str, lang: str, ctx: UssdContext, resume: dict | None = None
) -> tuple[dict, Screen]:
    """The first hop of a session; offers to continue `resume` when it is an unfinished report."""
    menu = load()
    state = _new(phone, lang, menu)
    hop = Hop(menu, ctx, Sources(menu, ctx))
    if resume is not None and in_report(resume):
        state["ans"] = dict(resume["ans"])
        state["rep"] = point(resume, menu)
        state["at"] = RESUME
    return state, show(hop, state)


def step(state: dict, user_input: str, ctx: UssdContext) -> tuple[dict, Screen]:
    """One hop: the person typed `user_input` on the screen `state` is at."""
    menu = load()
    current = _copy(state, menu)
    hop = Hop(menu, ctx, Sources(menu, ctx))
    if current is None:
        phone = state.get("phone", "") if isinstance(state, dict) else ""
        lang = state.get("lang", "id") if isinstance(state, dict) else "id"
        return start(str(phone), str(lang), ctx)
    screen = menu.screens.get(current["at"])
    text = (user_input or "").strip()
    if screen is None or screen.kind == "end" or text == HOME:
        # Home; or the menu changed under the session, or a hop came after the end.
        return go(hop, current, MAIN, how="home")
    if text == BACK:
        return go(hop, current, None, how="back")
    if screen.kind == "input":
        return _typed(hop, current, screen, user_input or "")
    if text == MORE:
        return _more(hop, current, screen)
    if screen.kind == "info":
        return current, show(hop, current, "wrong")
    return _chosen(hop, current, screen, text)


def _more(hop: Hop, state: dict, screen: ScreenDef) -> tuple[dict, Screen]:
    first, shown = state["pg"]
    if screen.kind == "info":
        total = len(screen.pages) or 1
        state["pg"] = [(first + 1) % total, 1]
    else:
        total = len(screen.options)
        if screen.source:
            total = len(hop.sources.get(screen.source, state))
        following = first + max(shown, 1)
        state["pg"] = [following if following < total else 0, 0]
    return state, show(hop, state)


def _chosen(hop: Hop, state: dict, screen: ScreenDef, text: str) -> tuple[dict, Screen]:
    found = hop.sources.get(screen.source, state) if screen.source else []
    if text.isascii() and text.isdigit():
        number = int(text)
        if 1 <= number <= len(found):
            item = found[number - 1]
            if item.answers:
                return _answer(hop, state, screen, item.answers)
            return go(hop, state, screen.next or MAIN, carry=item.carry)
        index = number - len(found) - 1
        if 0 <= index < len(screen.options):
            return _option(hop, state, screen, screen.options[index])
    if screen.typed and any(c.isalpha() for c in text):
        result = validate(screen.typed, text, state["ans"])
        if result.ok and result.answers:
            return _answer(hop, state, screen, result.answers)
        return state, show(hop, state, result.hint or "wrong")
    return state, show(hop, state, "wrong")


def _option(hop: Hop, state: dict, screen: ScreenDef, option: Option) -> tuple[dict, Screen]:
    for key in option.clear:
        state["ans"].pop(key, None)
    if option.set:
        record(state["ans"], screen, option.set)
    if option.edit:
        state["edit"] = True
    if option.action:
        act = ACTIONS.get(option.action)
        if act is None:
            return state, show(hop, state, "wrong")
        return act(hop, state, option.next, option.outcomes, option.value)
    return go(hop, state, option.next or MAIN, skip_answered=bool(option.set))


def _typed(hop: Hop, state: dict, screen: ScreenDef, text: str) -> tuple[dict, Screen]:
    if screen.optional and text.strip() == SKIP:
        return _answer(hop, state, screen, {screen.answer: None} if screen.answer else {})
    result = validate(screen.validate or "", text, state["ans"])
    if result.candidates is not None and screen.pick:
        return go(hop, state, screen.pick, carry={"cand": result.candidates})
    if not result.ok:
        return state, show(hop, state, result.hint or "wrong")
    if screen.action:
        act = ACTIONS.get(screen.action)
        if act is None:
            return state, show(hop, state, "wrong")
        return act(hop, state, screen.next, screen.outcomes, result.value)
    return _answer(hop, state, screen, result.answers or {})


def _answer(hop: Hop, state: dict, screen: ScreenDef, new: dict) -> tuple[dict, Screen]:
    """Record the answers given on `screen` and move on to its next screen."""
    record(state["ans"], screen, new)
    return go(hop, state, screen.next or MAIN, skip_answered=True)
