"""`pengaduan menus check`: everything that can be wrong with the menu files, in plain words.

`check()` reads the menus and texts afresh and returns one line per problem ([] when all is
well): screens too long or with characters outside GSM-7 (every screen is rendered in every
language with worst-case data), screens nobody can reach, references to missing screens or
texts, dead ends, and texts present in one language but not in another.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pycountry

from casebridge import places, taxonomy
from casebridge.gsm import non_gsm7
from casebridge.status import STATUSES
from casebridge.texts import status_word

from .actions import ACTIONS
from .answers import ANSWER_KEYS
from .context import CaseStatus
from .layout import fill, placeholders
from .menu import Menu, ScreenDef, read
from .navigation import MAIN, RESUME
from .notices import NOTICES, SECTION
from .render import END_LINES, ENGINE_TEXTS, Sources, render
from .screens import LIMIT
from .sources import SOURCES
from .validate import HINT_OF, VALIDATORS
from .values import PLACEHOLDERS

ACTION_OUTCOMES = {
    "submit": ("failed",),
    "lookup": ("need_pin", "locked"),
    "lookup_pin": ("no_match", "locked"),
}
"""Outcomes an action needs besides `next`."""
ACTIONS_WITHOUT_NEXT = {"resume"}
ALLOWED_VALUES = {
    "relationship": taxonomy.RELATIONSHIPS,
    "gender": taxonomy.GENDERS,
    "sms_safe": (True, False),
    "organisation": (None,),
}

LONG_NAME = "Siti Nurhaliza Binti Abdul Rahman Sukarno"
LONG_ORG = "Lembaga Bantuan Hukum Surabaya"
LONG_DESCRIPTION = "x" * 160
LIST_LENGTH = 5


def _edges(screen: ScreenDef) -> Iterator[tuple[str, str]]:
    """(what, target screen) for every way out of a screen."""
    if screen.next:
        yield "next", screen.next
    if screen.pick:
        yield "pick", screen.pick
    if screen.if_empty:
        yield "if_empty", screen.if_empty.next
    for name, outcome in screen.outcomes.items():
        yield f"outcome '{name}'", outcome.next
    for option in screen.options:
        if option.next:
            yield f"option '{option.label}'", option.next
        for name, outcome in option.outcomes.items():
            yield f"option '{option.label}' outcome '{name}'", outcome.next
        if option.action == "start_report":
            yield f"option '{option.label}'", RESUME


def _references(menu: Menu) -> list[str]:
    found = []
    for required in (MAIN, RESUME):
        if required not in menu.screens:
            found.append(f"screen '{required}' is missing (the engine needs it)")
    for screen in menu.screens.values():
        where = f"screen '{screen.id}'"
        for what, target in _edges(screen):
            if target not in menu.screens:
                found.append(f"{where} {what} goes to missing screen '{target}'")
        if screen.source and screen.source not in SOURCES:
            found.append(f"{where} has unknown source '{screen.source}'")
        for name in (screen.validate, screen.typed):
            if name and name not in VALIDATORS:
                found.append(f"{where} has unknown validator '{name}'")
        actions = [(where, screen.action, screen.outcomes)] if screen.action else []
        actions += [
            (f"{where} option '{o.label}'", o.action, o.outcomes)
            for o in screen.options
            if o.action
        ]
        for at, action, outcomes in actions:
            if action not in ACTIONS:
                found.append(f"{at} has unknown action '{action}'")
            for name in ACTION_OUTCOMES.get(action, ()):
                if name not in outcomes:
                    found.append(f"{at} action '{action}' needs an outcome '{name}'")
        keys = [screen.answer, *screen.clears, *screen.requires]
        keys += [k for o in screen.options for k in (*o.clear, *o.set)]
        for key in filter(None, keys):
            if key not in ANSWER_KEYS:
                found.append(f"{where} uses unknown answer '{key}'")
        for key in screen.requires:
            if key in ANSWER_KEYS and key not in menu.asks:
                found.append(f"{where} requires '{key}' but no report screen asks for it")
        for option in screen.options:
            for key, value in option.set.items():
                allowed = ALLOWED_VALUES.get(key)
                if allowed is not None and value not in allowed:
                    found.append(f"{where} option '{option.label}' sets {key} to unknown {value!r}")
            if option.action == "language" and option.value not in menu.languages:
                found.append(f"{where} option '{option.label}' has no texts for '{option.value}'")
        if screen.pick and menu.screens.get(screen.pick, screen).kind != "choice":
            found.append(f"{where} pick '{screen.pick}' must be a choice screen")
    return found


def _reachability(menu: Menu) -> list[str]:
    seen: set[str] = set()
    todo = [s for s in (MAIN, RESUME) if s in menu.screens]
    while todo:
        sid = todo.pop()
        if sid in seen:
            continue
        seen.add(sid)
        todo.extend(t for _, t in _edges(menu.screens[sid]) if t in menu.screens)
    return [
        f"screen '{sid}' cannot be reached from the main menu"
        for sid in menu.screens
        if sid not in seen
    ]


def _dead_ends(menu: Menu) -> list[str]:
    found = []
    for screen in menu.screens.values():
        where = f"screen '{screen.id}'"
        if screen.kind in ("choice", "summary") and not screen.options and not screen.source:
            found.append(f"{where} is a dead end: it has no options")
        if screen.kind in ("choice", "summary") and screen.source and not screen.next:
            found.append(f"{where} is a dead end: its list has no 'next'")
        if screen.kind == "input" and not screen.next:
            found.append(f"{where} is a dead end: it has no 'next'")
        for option in screen.options:
            if not option.next and option.action not in ACTIONS_WITHOUT_NEXT:
                found.append(f"{where} option '{option.label}' is a dead end: it has no 'next'")
    return found


def _notes(menu: Menu) -> dict[str, set[str]]:
    """The `common` texts that may be put before each screen."""
    notes: dict[str, set[str]] = {sid: set() for sid in menu.screens}
    for screen in menu.screens.values():
        outcomes = [*screen.outcomes.values(), *(screen.if_empty,)]
        outcomes += [o for opt in screen.options for o in opt.outcomes.values()]
        for outcome in outcomes:
            if outcome and outcome.note and outcome.next in notes:
                notes[outcome.next].add(outcome.note)
        if screen.kind in ("choice", "summary", "info"):
            notes[screen.id].add("wrong")
        for name in (screen.validate, screen.typed):
            if name in HINT_OF:
                notes[screen.id].update(HINT_OF[name])
    return notes


def _needed_texts(menu: Menu) -> dict[str, set[str]]:
    """Every text key, by section, that the menus and the engine use."""
    needed: dict[str, set[str]] = {k: set(v) for k, v in ENGINE_TEXTS.items()}
    needed["common"].update(key for keys in HINT_OF.values() for key in keys)
    for sid, notes in _notes(menu).items():
        needed["common"].update(notes)
        screen = menu.screens[sid]
        keys = needed.setdefault(sid, set())
        if screen.kind == "info":
            keys.update(screen.pages or ("text",))
        elif screen.kind == "end":
            keys.update(END_LINES.get(sid, lambda tmp: ["text"])({}))
        else:
            keys.add("text")
        keys.update(o.label for o in screen.options)
    return needed


def _texts(menu: Menu) -> list[str]:
    found = []
    needed = _needed_texts(menu)
    languages = menu.languages
    for lang in languages:
        texts = menu.texts[lang]
        for section, keys in needed.items():
            for key in sorted(keys - set(texts.get(section, {}))):
                found.append(f"{lang}: text '{section}.{key}' is missing")
        for section, entries in texts.items():
            if section not in needed:
                found.append(f"{lang}: texts '{section}' belong to no screen")
            for key, text in entries.items():
                where = f"screen '{section}'" if section in menu.screens else f"text '{section}'"
                bad = non_gsm7(text)
                if bad:
                    shown = ", ".join(f"'{c}'" for c in bad)
                    found.append(f"{lang}: {where} has non-GSM-7 characters: {shown} (in '{key}')")
                for name in placeholders(text):
                    if name not in PLACEHOLDERS:
                        found.append(f"{lang}: {where} uses unknown {{{name}}} (in '{key}')")
                for other in languages:
                    if key not in menu.texts[other].get(section, {}):
                        found.append(
                            f"{other}: text '{section}.{key}' is missing (it is in {lang})"
                        )
    return list(dict.fromkeys(found))


class _WorstCase:
    """A context whose lists are as long as they realistically get."""

    def org_choices(self, answers: dict, lang: str) -> list[tuple[str, str]]:
        return [(f"ORG-{i}", LONG_ORG) for i in range(LIST_LENGTH)]

    def cases_for_phone(self, phone: str) -> list[CaseStatus]:
        return [CaseStatus("48217739", _longest_status(), LONG_ORG)] * LIST_LENGTH

    def lookup(self, reference: str, pin: str | None, phone: str) -> None:
        return None

    def submit(self, answers: dict, phone: str, lang: str) -> None:
        raise NotImplementedError

    def set_language(self, phone: str, lang: str) -> None:
        return None


def _longest(codes, label) -> str:
    return max(codes, key=lambda code: max(len(label(code, lang)) for lang in ("id", "en")))


@cache
def _longest_status() -> str:
    return _longest(STATUSES, status_word)


@cache
def _worst_answers() -> dict:
    countries = [c.alpha_2 for c in pycountry.countries if c.alpha_2 != "ID"]
    regency = max(places.regencies(), key=lambda r: len(r.name))
    return {
        "relationship": "sibling",
        "worker_name": LONG_NAME,
        "gender": "unspecified",
        "country": _longest(countries, taxonomy.country_name),
        "category": _longest(taxonomy.CATEGORIES, taxonomy.category_label),
        "province": max(places.provinces(), key=lambda p: len(p.name)).code,
        "regency": regency.name,
        "regency_code": regency.code,
        "worker_phone": "+60123456789",
        "description": LONG_DESCRIPTION,
        "organisation": "ORG-0",
        "_org_name": LONG_ORG,
        "sms_safe": False,
    }


def _worst_tmps() -> list[dict]:
    longest = max(places.regencies(), key=lambda r: len(r.name)).name
    base = {"ref": "4821-7739", "pin": "1234", "status": _longest_status(), "sms": False}
    return [
        {**base, "org": LONG_ORG, "cand": [[longest, {}]] * LIST_LENGTH},
        {**base, "org": None},
    ]


def _renders(menu: Menu, screen: ScreenDef, lang: str, notes: set[str]) -> Iterator[tuple]:
    """(page, prefix, rendered) for every page of the screen, with and without each note."""
    sources = Sources(menu, _WorstCase())
    for tmp in _worst_tmps():
        for prefix in [None, *sorted(notes)] if screen.kind != "end" else [None]:
            first, page = 0, 1
            while True:
                state = {"phone": "+6281234567890", "lang": lang, "at": screen.id}
                state.update(pg=[first, 0], back=[], ans=_worst_answers(), tmp=tmp, edit=False)
                rendered = render(menu, state, sources, prefix)
                yield page, prefix, rendered
                if screen.kind == "info":
                    first += 1
                    more = first < len(screen.pages)
                else:
                    total = len(sources.get(screen.source, state)) if screen.source else 0
                    first += rendered.shown
                    more = screen.source is not None and first < total
                if not more:
                    break
                page += 1


def _lengths(menu: Menu) -> list[str]:
    found = []
    notes = _notes(menu)
    for lang in menu.languages:
        for screen in menu.screens.values():
            worst = None
            try:
                renders = list(_renders(menu, screen, lang, notes[screen.id]))
            except Exception as exc:  # a broken menu must be reported, not crash the check
                found.append(f"{lang}: screen '{screen.id}' cannot be shown: {exc!r}")
                continue
            for page, prefix, rendered in renders:
                bad = non_gsm7(rendered.screen.text)
                if bad:
                    found.append(f"{lang}: screen '{screen.id}' has non-GSM-7 characters: {bad}")
                if rendered.natural > LIMIT and (worst is None or rendered.natural > worst[0]):
                    worst = (rendered.natural, page, prefix)
            if worst:
                size, page, prefix = worst
                where = f"screen '{screen.id}'" + (f" page {page}" if page > 1 else "")
                extra = f" with the hint '{prefix}'" if prefix else ""
                found.append(f"{lang}: {where} is {size} characters (limit {LIMIT}){extra}")
    return list(dict.fromkeys(found))


def _notice_lengths(menu: Menu) -> list[str]:
    """Notices (END screens outside the menus) must fit one screen too."""
    found = []
    for lang in menu.languages:
        for key in NOTICES:
            _text, size = fill(menu.text(lang, SECTION, key), lambda name: None)
            if size > LIMIT:
                found.append(f"{lang}: text '{SECTION}.{key}' is {size} characters (limit {LIMIT})")
    return found


def check(directory: str | Path | None = None) -> list[str]:
    """Every problem of the menus in `directory` (default: the shipped ones); [] when none."""
    menu = read(directory)
    problems = list(menu.problems)
    if menu.unreadable:  # everything else would be follow-on noise
        return problems
    problems += _references(menu)
    problems += _reachability(menu)
    problems += _dead_ends(menu)
    problems += _texts(menu)
    if MAIN in menu.screens:
        problems += _lengths(menu)
    problems += _notice_lengths(menu)
    return problems
