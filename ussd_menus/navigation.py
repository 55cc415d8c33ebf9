"""Moving between screens: the way back, redirects, and where an unfinished report stopped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .answers import answered
from .menu import REPORT_FLOW, Menu
from .render import Sources, render
from .screens import Screen

MAIN, RESUME, SUMMARY = "main", "resume", "summary"
BACK_MAX = 16
"""Screens "0" can go back through; the oldest are forgotten."""
RESUME_MIN_ANSWERS = 2
"""A report with fewer answers is not worth offering to continue."""


@dataclass
class Hop:
    """What one hop works with: the menu, the context, and the lists asked for so far."""

    menu: Menu
    ctx: Any
    sources: Sources


def point(state: dict, menu: Menu) -> dict | None:
    """Where a report stopped: the saved point, or the current screen when in the report."""
    rep = state.get("rep")
    if isinstance(rep, dict) and isinstance(rep.get("at"), str):
        back = [str(s) for s in rep.get("back") or ()][-BACK_MAX:]
        return {"at": rep["at"], "back": back, "edit": bool(rep.get("edit"))}
    screen = menu.screens.get(state.get("at"))
    if screen is None or screen.flow != REPORT_FLOW or screen.kind == "end":
        return None
    back = [str(s) for s in state.get("back") or ()][-BACK_MAX:]
    edit = bool(state.get("edit"))
    if screen.transient and back:
        return {"at": back[-1], "back": back[:-1], "edit": edit}
    return {"at": screen.id, "back": back, "edit": edit}


def unfinished(state: dict, menu: Menu) -> bool:
    """Whether the state holds an unfinished report worth offering to continue."""
    if not isinstance(state, dict) or not isinstance(state.get("ans"), dict):
        return False
    return answered(state["ans"]) >= RESUME_MIN_ANSWERS and point(state, menu) is not None


def show(hop: Hop, state: dict, prefix: str | None = None) -> Screen:
    """Render the current screen and remember how much of its list it shows."""
    rendered = render(hop.menu, state, hop.sources, prefix)
    state["pg"] = [state["pg"][0], rendered.shown]
    if rendered.screen.end:
        state["tmp"] = {}  # the PIN and the case were shown once; the state keeps neither
    return rendered.screen


def _redirect(hop: Hop, state: dict, target: str, skip_answered: bool) -> tuple[str, str | None]:
    """The screen to show instead of `target`, and a note to show on it."""
    menu, note = hop.menu, None
    for _ in range(len(menu.screens) + 1):
        screen = menu.screens.get(target)
        if screen is None:
            return MAIN, note
        ans = state["ans"]
        if (
            skip_answered
            and state["edit"]
            and screen.flow == REPORT_FLOW
            and screen.kind != "summary"
            and screen.answer in ans
        ):
            # Changing one answer from the summary: what is still answered is not asked again.
            target = SUMMARY
            continue
        if screen.kind == "summary":
            missing = [k for k in screen.requires if k not in ans and k in menu.asks]
            if missing:
                target, skip_answered = menu.asks[missing[0]], False
                continue
            state["edit"] = False
        if screen.source and screen.if_empty and not hop.sources.get(screen.source, state):
            target, note = screen.if_empty.next, screen.if_empty.note
            continue
        return target, note
    return MAIN, note


def go(
    hop: Hop,
    state: dict,
    target: str | None,
    *,
    how: str = "forward",
    carry: dict | None = None,
    note: str | None = None,
    skip_answered: bool = False,
    back: list[str] | None = None,
) -> tuple[dict, Screen]:
    """Move to `target` (or where it redirects) and show it.

    `how`: "forward" (the current screen becomes the way back), "back" (target None: the
    last screen on the way back), "home" (the way back is emptied), or "restore" (the way
    back becomes `back`). Leaving a report keeps where it stopped, to continue it later.
    """
    menu = hop.menu
    history = state["back"]
    if how == "back":
        target = history[-1] if history else MAIN
    state["tmp"] = dict(carry or {})
    hop.sources.forget()
    target, redirect_note = _redirect(hop, state, target or MAIN, skip_answered)
    here = menu.screens.get(state["at"])
    there = menu.screens[target]
    if here is not None and here.flow == REPORT_FLOW and there.flow != REPORT_FLOW:
        stopped = point(state, menu)
        if stopped and state["ans"]:
            state["rep"] = stopped
    elif there.flow == REPORT_FLOW:
        state.pop("rep", None)
    if how == "back" and history:
        history.pop()
    elif how == "home":
        history, state["edit"] = [], False
    elif how == "restore":
        history = list(back or [])
    elif here is not None and not here.transient and here.id != target:
        history.append(here.id)
    if target in history:
        del history[history.index(target) :]
    state["back"] = history[-BACK_MAX:]
    state["at"], state["pg"] = target, [0, 0]
    return state, show(hop, state, note or redirect_note)
