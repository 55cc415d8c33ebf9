"""Turning a state into the text of its screen, always within one USSD screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import UssdContext
from .layout import FLOOR, fill, length, paginate
from .menu import Menu, ScreenDef
from .notices import NOTICES, SECTION
from .screens import LIMIT, Screen
from .sources import Item, items
from .values import lookup

OPTION = "{n}. {label}"
"""How a numbered option looks: "1. Ya"."""
ITEM_ROOM = 1 + FLOOR + 4
"""Room a list keeps for at least one item below its question."""

END_LINES: dict[str, Callable[[dict], list[str]]] = {
    "done": lambda tmp: [
        "text",
        "org" if tmp.get("org") else "service",
        "keep",
        *(["no_sms"] if tmp.get("sms") is False else []),
    ],
    "case": lambda tmp: ["text", "org" if tmp.get("org") else "no_org"],
}
"""End screens made of several texts of their section, depending on the case."""
ENGINE_TEXTS = {
    "common": ("nav", "more", "skip", "wrong"),
    "done": ("text", "org", "service", "keep", "no_sms"),
    "case": ("text", "org", "no_org", "unknown"),
    "summary": ("service", "sms_on", "sms_off"),
    SECTION: NOTICES,
}
"""Text keys the engine itself uses (besides those the menu files name)."""


@dataclass(frozen=True)
class Rendered:
    """A screen, how many list items (or pages) it shows, and the length it needed."""

    screen: Screen
    shown: int
    natural: int


class Sources:
    """The source lists of one hop, each asked for once."""

    def __init__(self, menu: Menu, ctx: UssdContext):
        self.menu, self.ctx = menu, ctx
        self._found: dict[str, list[Item]] = {}

    def get(self, source: str, state: dict) -> list[Item]:
        if source not in self._found:
            self._found[source] = items(source, state, self.ctx, self.menu)
        return self._found[source]

    def forget(self) -> None:
        self._found.clear()


def _prefix(menu: Menu, lang: str, prefix: str | None, text: str) -> str:
    return f"{menu.text(lang, 'common', prefix)} {text}" if prefix else text


def _tail_cost(lines: list[str]) -> int:
    return sum(1 + length(line) for line in lines)


def _list(menu: Menu, screen: ScreenDef, state: dict, sources: Sources, head: str) -> Rendered:
    lang = state["lang"]
    labels = [menu.text(lang, screen.id, o.label) for o in screen.options]
    if screen.source:
        found = [i.label for i in sources.get(screen.source, state)]
        listed = [OPTION.format(n=n, label=label) for n, label in enumerate(found, 1)]
        pinned = [OPTION.format(n=n, label=lb) for n, lb in enumerate(labels, len(found) + 1)]
    else:
        listed = [OPTION.format(n=n, label=label) for n, label in enumerate(labels, 1)]
        pinned = []
    tail = [menu.text(lang, "common", "nav")] if screen.nav else []
    room = ITEM_ROOM if screen.source else _tail_cost(listed)
    budget = max(LIMIT - _tail_cost(pinned + tail) - room, 0)
    head, needed = fill(head, lookup(menu, state), budget)
    more = menu.text(lang, "common", "more")
    text, shown, natural = paginate(head, listed, state["pg"][0], pinned, more, tail)
    if needed > budget:
        natural = max(natural, needed + LIMIT - budget)
    return Rendered(Screen(text, end=False), shown, natural)


def _lines(menu: Menu, state: dict, head: str, tail: list[str]) -> Rendered:
    budget = LIMIT - _tail_cost(tail)
    text, needed = fill(head, lookup(menu, state), budget)
    full = "\n".join([text, *tail])
    return Rendered(Screen(full, end=False), 1, needed + LIMIT - budget)


STATIC_KINDS = ("choice", "input")
STATIC_MAX = 4096
_static: dict[tuple, tuple[Menu, Rendered]] = {}


def render(menu: Menu, state: dict, sources: Sources, prefix: str | None = None) -> Rendered:
    """The screen for `state`; `prefix` is a `common` text key put before the question.

    A choice or input screen with no list from a source and no placeholder in its question
    looks the same for everyone: it is rendered once per language, page and prefix."""
    screen = menu.screens[state["at"]]
    if screen.kind not in STATIC_KINDS or screen.source:
        return _render(menu, screen, state, sources, prefix)
    key = (id(menu), screen.id, state["lang"], prefix, state["pg"][0])
    found = _static.get(key)
    if found is not None and found[0] is menu:
        return found[1]
    rendered = _render(menu, screen, state, sources, prefix)
    head = _prefix(menu, state["lang"], prefix, menu.text(state["lang"], screen.id, "text"))
    if "{" not in head:
        if len(_static) >= STATIC_MAX:
            _static.clear()
        _static[key] = (menu, rendered)
    return rendered


def _render(
    menu: Menu, screen: ScreenDef, state: dict, sources: Sources, prefix: str | None
) -> Rendered:
    lang = state["lang"]
    nav = [menu.text(lang, "common", "nav")] if screen.nav else []
    if screen.kind == "end":
        keys = END_LINES.get(screen.id, lambda tmp: ["text"])(state["tmp"])
        template = "\n".join(menu.text(lang, screen.id, key) for key in keys)
        text, needed = fill(template, lookup(menu, state))
        return Rendered(Screen(text, end=True), 1, needed)
    if screen.kind == "info":
        pages = screen.pages or ("text",)
        page = state["pg"][0] % len(pages)
        more = [menu.text(lang, "common", "more")] if page + 1 < len(pages) else []
        head = _prefix(menu, lang, prefix, menu.text(lang, screen.id, pages[page]))
        return _lines(menu, state, head, more + nav)
    head = _prefix(menu, lang, prefix, menu.text(lang, screen.id, "text"))
    if screen.kind == "input":
        skip = [OPTION.format(n=1, label=menu.text(lang, "common", "skip"))]
        return _lines(menu, state, head, (skip if screen.optional else []) + nav)
    return _list(menu, screen, state, sources, head)
