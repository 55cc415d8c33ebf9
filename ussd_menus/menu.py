"""The menu definition: screens (`menus/*.yaml`) and their texts per language (`texts/*.yaml`).

Loaded once per folder and kept in memory: a USSD hop never reads a file. Problems found
while loading (unknown fields, texts that are not strings…) are collected in
`Menu.problems` rather than raised, so that `check` can report them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from casebridge.texts import DEFAULT_LANGUAGE, TextsError, language_files, read_file

DEFAULT_DIR = Path(__file__).parent
KINDS = ("choice", "input", "info", "summary", "end")
REPORT_FLOW = "report"

_SCREEN_FIELDS = {
    "kind",
    "next",
    "answer",
    "options",
    "source",
    "validate",
    "typed",
    "optional",
    "pick",
    "clears",
    "action",
    "outcomes",
    "if_empty",
    "pages",
    "requires",
    "nav",
    "transient",
}
_OPTION_FIELDS = {"label", "next", "set", "clear", "action", "value", "edit", "outcomes"}


@dataclass(frozen=True)
class Outcome:
    """Where an action or an empty list leads, with an optional note (a `common` text key)."""

    next: str
    note: str | None = None


@dataclass(frozen=True)
class Option:
    """A numbered option of a choice screen; `label` is a text key of the screen's section."""

    label: str
    next: str | None = None
    set: dict[str, Any] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    action: str | None = None
    value: str | None = None
    edit: bool = False
    outcomes: dict[str, Outcome] = field(default_factory=dict)


@dataclass(frozen=True)
class ScreenDef:
    """One screen of the graph, as written in a menu file."""

    id: str
    kind: str
    file: str
    flow: str | None = None
    next: str | None = None
    answer: str | None = None
    options: tuple[Option, ...] = ()
    source: str | None = None
    validate: str | None = None
    typed: str | None = None
    optional: bool = False
    pick: str | None = None
    clears: tuple[str, ...] = ()
    action: str | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    if_empty: Outcome | None = None
    pages: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    nav: bool = True
    transient: bool = False


@dataclass
class Menu:
    """Every screen by id, every text by language, section and key."""

    screens: dict[str, ScreenDef]
    texts: dict[str, dict[str, dict[str, str]]]
    problems: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Files that did not parse: nothing else is checked until they do."""
    asks: dict[str, str] = field(default_factory=dict)
    """The first screen that fills each answer key (asked again when it is missing)."""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.texts)

    def text(self, lang: str, section: str, key: str) -> str:
        """A text, falling back to the default language, then to its own name."""
        for language in (lang, DEFAULT_LANGUAGE):
            found = self.texts.get(language, {}).get(section, {}).get(key)
            if found is not None:
                return found
        return f"{section}.{key}"


def _str_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _outcome(value: Any, where: str, problems: list[str]) -> Outcome | None:
    if isinstance(value, str):
        return Outcome(value)
    if isinstance(value, dict) and isinstance(value.get("next"), str):
        note = value.get("note")
        return Outcome(value["next"], str(note) if note is not None else None)
    problems.append(f"{where}: expected a screen id or {{next: screen, note: text}}")
    return None


def _outcomes(value: Any, where: str, problems: list[str]) -> dict[str, Outcome]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: outcomes must be a mapping")
        return {}
    found = {}
    for name, target in value.items():
        outcome = _outcome(target, f"{where} outcome '{name}'", problems)
        if outcome:
            found[str(name)] = outcome
    return found


def _option(raw: Any, where: str, problems: list[str]) -> Option | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        problems.append(f"{where}: an option needs a label")
        return None
    for name in sorted(set(map(str, raw)) - _OPTION_FIELDS):
        problems.append(f"{where}: unknown field '{name}'")
    sets = raw.get("set") or {}
    if not isinstance(sets, dict):
        problems.append(f"{where}: set must be a mapping")
        sets = {}
    value = raw.get("value")
    return Option(
        label=raw["label"],
        next=raw.get("next"),
        set={str(k): v for k, v in sets.items()},
        clear=_str_tuple(raw.get("clear")),
        action=raw.get("action"),
        value=str(value) if value is not None else None,
        edit=bool(raw.get("edit", False)),
        outcomes=_outcomes(raw.get("outcomes"), where, problems),
    )


def _screen(sid: str, raw: Any, file: str, flow: str | None, problems: list[str]) -> ScreenDef:
    where = f"{file}: screen '{sid}'"
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping of fields")
        raw = {}
    for name in sorted(set(map(str, raw)) - _SCREEN_FIELDS):
        problems.append(f"{where}: unknown field '{name}'")
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.append(f"{where}: kind must be one of {', '.join(KINDS)} (got {kind!r})")
        kind = "end"
    options = []
    for i, opt in enumerate(raw.get("options") or (), start=1):
        parsed = _option(opt, f"{where} option {i}", problems)
        if parsed:
            options.append(parsed)
    if_empty = raw.get("if_empty")
    return ScreenDef(
        id=sid,
        kind=kind,
        file=file,
        flow=flow,
        next=raw.get("next"),
        answer=raw.get("answer"),
        options=tuple(options),
        source=raw.get("source"),
        validate=raw.get("validate"),
        typed=raw.get("typed"),
        optional=bool(raw.get("optional", False)),
        pick=raw.get("pick"),
        clears=_str_tuple(raw.get("clears")),
        action=raw.get("action"),
        outcomes=_outcomes(raw.get("outcomes"), where, problems),
        if_empty=_outcome(if_empty, f"{where} if_empty", problems) if if_empty else None,
        pages=_str_tuple(raw.get("pages")),
        requires=_str_tuple(raw.get("requires")),
        nav=bool(raw.get("nav", True)),
        transient=bool(raw.get("transient", False)),
    )


_UNREADABLE = object()


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return read_file(path)
    except TextsError as exc:
        problems.append(str(exc))
        return _UNREADABLE


def _read_screens(folder: Path, problems: list[str], unreadable: list[str]) -> dict[str, ScreenDef]:
    screens: dict[str, ScreenDef] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(f"no menu files in {folder}")
    for path in files:
        data = _read_yaml(path, problems)
        if data is _UNREADABLE:
            unreadable.append(path.name)
            continue
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("screens"), dict):
            problems.append(f"{path.name}: expected 'screens:' with screens under it")
            continue
        flow = data.get("flow")
        for sid, raw in data["screens"].items():
            sid = str(sid)
            if sid in screens:
                problems.append(f"{path.name}: screen '{sid}' is also in {screens[sid].file}")
                continue
            screens[sid] = _screen(sid, raw, path.name, flow, problems)
    return screens


def _read_texts(
    folder: Path, problems: list[str], unreadable: list[str]
) -> dict[str, dict[str, dict[str, str]]]:
    texts: dict[str, dict[str, dict[str, str]]] = {}
    paths = language_files(folder)
    if DEFAULT_LANGUAGE not in paths:
        problems.append(f"no texts for the default language: {folder / 'id.yaml'}")
    for lang in paths:
        data = _read_yaml(paths[lang], problems)
        if data is _UNREADABLE:
            unreadable.append(paths[lang].name)
            data = {}
        sections: dict[str, dict[str, str]] = {}
        if not isinstance(data, dict):
            problems.append(f"{lang}: expected sections (screen names) with texts under them")
            data = {}
        for section, entries in data.items():
            if not isinstance(entries, dict):
                problems.append(f"{lang}: '{section}' must hold 'name: \"text\"' lines")
                continue
            sections[str(section)] = {}
            for key, value in entries.items():
                if not isinstance(value, str):
                    problems.append(
                        f"{lang}: text '{section}.{key}' is not a text (put it in double quotes)"
                    )
                    continue
                sections[str(section)][str(key)] = value
        texts[lang] = sections
    return texts


def read(directory: str | Path | None = None) -> Menu:
    """Read the menu in `directory` (which holds `menus/` and `texts/`) afresh."""
    folder = Path(directory) if directory is not None else DEFAULT_DIR
    problems: list[str] = []
    unreadable: list[str] = []
    screens = _read_screens(folder / "menus", problems, unreadable)
    texts = _read_texts(folder / "texts", problems, unreadable)
    asks: dict[str, str] = {}
    for screen in screens.values():
        if screen.answer and screen.flow == REPORT_FLOW and screen.kind != "end":
            asks.setdefault(screen.answer, screen.id)
    return Menu(screens=screens, texts=texts, problems=problems, unreadable=unreadable, asks=asks)


@cache
def _load(folder: Path) -> Menu:
    return read(folder)


def load(directory: str | Path | None = None) -> Menu:
    """The menu in `directory` (default: the shipped one), read once and then kept."""
    if directory is None:
        return _load(DEFAULT_DIR)
    return _load(Path(directory).resolve())
