"""Voice scripts as data: nodes read from `ivr_scripts/scripts/*.yaml`.

Every file holds `nodes:` (names unique across files); exactly one file says `start:` (the
first node) and may say `greeting:` (prompts spoken once, when the call starts). Loading is
tolerant: shape problems are collected as messages for `check()`, not raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SCRIPTS_DIR = Path(__file__).parent / "scripts"

# Node types and the named outcomes (next nodes) each one needs.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "menu": (),
    "list": ("next",),
    "info": (),
    "reference": ("found", "not_found"),
    "pin": ("found", "locked"),
    "record": ("done", "failed"),
    "end": (),
}
ACTIONS = ("next_language",)
REPEAT_KEY, BACK_KEY, MORE_KEY = "9", "0", "8"
MENU_KEYS = tuple("12345678")
DEFAULT_TIMEOUT = {"menu": 8, "list": 8, "info": 8, "reference": 12, "pin": 10, "record": 5}
DEFAULT_PAGE_SIZE = 4
DEFAULT_MAX_LENGTH = 120


@dataclass(frozen=True)
class PromptRef:
    """A prompt to speak; `lang="next"` speaks it in the language the switch key leads to."""

    key: str
    lang: str | None = None


@dataclass(frozen=True)
class Target:
    """Where a key leads: a node, answers to record on the way, and/or an engine action."""

    next: str | None = None
    set: dict = field(default_factory=dict)
    action: str | None = None


@dataclass(frozen=True)
class Node:
    name: str
    type: str
    file: str
    say: tuple[PromptRef, ...] = ()
    keys: dict[str, Target] = field(default_factory=dict)
    goto: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    answer: str | None = None
    other: str | None = None  # (list) prompt naming a last option "not in the list" -> None
    page_size: int = DEFAULT_PAGE_SIZE
    timeout: int = 8
    max_length: int = DEFAULT_MAX_LENGTH


@dataclass(frozen=True)
class Script:
    start: str | None
    greeting: tuple[PromptRef, ...]
    nodes: dict[str, Node]


def _prompt_refs(raw: object, where: str, problems: list[str]) -> tuple[PromptRef, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{where}: 'say' must be a list of prompt names")
        return ()
    refs = []
    for item in raw:
        if isinstance(item, str):
            refs.append(PromptRef(item))
        elif isinstance(item, dict) and isinstance(item.get("prompt"), str):
            lang = item.get("lang")
            if lang not in (None, "next"):
                problems.append(f"{where}: prompt {item['prompt']!r}: lang must be 'next'")
            refs.append(PromptRef(item["prompt"], lang))
        else:
            problems.append(f"{where}: {item!r} is not a prompt name")
    return tuple(refs)


def _target(raw: object, where: str, problems: list[str]) -> Target:
    if isinstance(raw, str):
        return Target(next=raw)
    if isinstance(raw, dict):
        unknown = set(raw) - {"next", "set", "action"}
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        sets = raw.get("set") or {}
        if not isinstance(sets, dict):
            problems.append(f"{where}: 'set' must map answer names to values")
            sets = {}
        return Target(next=raw.get("next"), set=dict(sets), action=raw.get("action"))
    problems.append(f"{where}: must be a node name or a mapping with next/set/action")
    return Target()


def _int(raw: dict, name: str, default: int, where: str, problems: list[str]) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(f"{where}: {name} must be a positive whole number")
        return default
    return value


def _node(name: str, raw: object, file: str, problems: list[str]) -> Node | None:
    where = f"{file}: node {name!r}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    kind = raw.get("type")
    if kind not in OUTCOMES:
        problems.append(f"{where}: type must be one of {', '.join(OUTCOMES)} (got {kind!r})")
        return None
    keys_raw = raw.get("keys") or {}
    if not isinstance(keys_raw, dict):
        problems.append(f"{where}: 'keys' must map a key to a node")
        keys_raw = {}
    keys = {str(k): _target(v, f"{where}, key {k}", problems) for k, v in keys_raw.items()}
    goto = {o: raw[o] for o in OUTCOMES[kind] if isinstance(raw.get(o), str)}
    return Node(
        name=name,
        type=kind,
        file=file,
        say=_prompt_refs(raw.get("say"), where, problems),
        keys=keys,
        goto=goto,
        source=raw.get("source"),
        answer=raw.get("answer"),
        other=raw.get("other"),
        page_size=_int(raw, "page_size", DEFAULT_PAGE_SIZE, where, problems),
        timeout=_int(raw, "timeout", DEFAULT_TIMEOUT.get(kind, 8), where, problems),
        max_length=_int(raw, "max_length", DEFAULT_MAX_LENGTH, where, problems),
    )


def load(scripts_dir: Path | str | None = None) -> tuple[Script, list[str]]:
    """Read every `*.yaml` in the folder; returns the script and the problems found."""
    folder = Path(scripts_dir) if scripts_dir else SCRIPTS_DIR
    problems: list[str] = []
    start: str | None = None
    greeting: tuple[PromptRef, ...] = ()
    nodes: dict[str, Node] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(f"{folder}: no voice scripts (*.yaml)")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML: {exc}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path.name}: must be a mapping with 'nodes'")
            continue
        if "start" in data:
            if start is not None:
                problems.append(f"{path.name}: 'start' is already given in another file")
            start = data["start"]
            greeting = _prompt_refs(data.get("greeting"), f"{path.name}: greeting", problems)
        raw_nodes = data.get("nodes") or {}
        if not isinstance(raw_nodes, dict):
            problems.append(f"{path.name}: 'nodes' must be a mapping")
            continue
        for name, raw in raw_nodes.items():
            if name in nodes:
                problems.append(f"{path.name}: node {name!r} is also in {nodes[name].file}")
                continue
            node = _node(str(name), raw, path.name, problems)
            if node is not None:
                nodes[node.name] = node
    if start is None:
        problems.append("no script says 'start:' (the first node of a call)")
    return Script(start=start, greeting=greeting, nodes=nodes), problems


@cache
def shipped() -> Script:
    """The scripts shipped in `ivr_scripts/scripts/`, loaded once; raises if they are broken."""
    script, problems = load()
    if problems:
        raise ValueError("broken voice scripts: " + "; ".join(problems))
    return script
