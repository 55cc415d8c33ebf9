"""`pengaduan menus check` for the voice line: every problem in the scripts and prompts,
as sentences a member of staff can act on, including every Indonesian prompt that Africa's
Talking would read with its English voice for want of a recording. An empty list means all
is well."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from casebridge import status, taxonomy, texts

from . import catalogue as catalogue_mod
from . import lists, recordings
from . import script as script_mod
from .catalogue import Catalogue
from .engine import ENGINE_PROMPTS
from .render_at import SPOKEN_LANGUAGES
from .script import MENU_KEYS, Node, PromptRef, Script, Target

ALLOWED_KEYS = (*MENU_KEYS, "*")
PLACEHOLDERS = frozenset({"reference", "pin", "status", "organisation", "label", "key"})
UNRECORDABLE = frozenset({"organisation"})  # names from the directory: left out on AT
ANSWER_VALUES = {
    "category": lambda v: v in taxonomy.CATEGORIES,
    "country": lambda v: v is None or taxonomy.is_country(str(v)),
    "relationship": lambda v: v in taxonomy.RELATIONSHIPS,
    "sms_safe": lambda v: isinstance(v, bool),
}
MAX_PAGE_SIZE = 7  # keys 1-7; 8 reads the next group


def check(
    scripts_dir: Path | str | None = None,
    prompts_dir: Path | str | None = None,
    audio_dir: Path | str | None = None,
) -> list[str]:
    """Problems in the voice scripts, prompts and recordings (the shipped ones by default)."""
    scr, problems = script_mod.load(scripts_dir)
    catalogue, prompt_problems = catalogue_mod.load(prompts_dir)
    problems += prompt_problems
    audio = Path(audio_dir) if audio_dir else catalogue_mod.AUDIO_DIR
    problems += _check_prompts(catalogue, audio)
    problems += _check_played(scr, catalogue, audio)
    problems += _check_nodes(scr, catalogue)
    problems += _check_reachable(scr)
    problems += _check_status_words(catalogue)
    return problems


def _needs(catalogue: Catalogue, refs: tuple[PromptRef, ...], where: str) -> list[str]:
    """A problem for each prompt that is missing in a language."""
    return [
        f"{where}: prompt {ref.key!r} is missing in {lang}.yaml"
        for ref in refs
        for lang in catalogue.languages
        if catalogue.get(ref.key, lang) is None
    ]


def _check_prompts(catalogue: Catalogue, audio_dir: Path) -> list[str]:
    problems = _needs(catalogue, tuple(PromptRef(k) for k in ENGINE_PROMPTS), "the engine")
    every_key = {key for table in catalogue.prompts.values() for key in table}
    default = catalogue.languages[0]
    for lang, table in catalogue.prompts.items():
        for key in sorted(every_key - set(table)):
            if key not in ENGINE_PROMPTS:  # already reported above
                problems.append(f"{lang}.yaml: prompt {key!r} is missing (other languages have it)")
        for key, prompt in table.items():
            where = f"{lang}.yaml: prompt {key!r}"
            names = prompt.placeholders
            for name in sorted(names - PLACEHOLDERS):
                problems.append(
                    f"{where}: unknown placeholder {{{name}}} "
                    f"(known: {', '.join(sorted(PLACEHOLDERS))})"
                )
            reference = catalogue.get(key, default)
            if reference is not None and reference.placeholders != names:
                problems.append(
                    f"{where}: placeholders differ from {default}.yaml "
                    f"({', '.join(sorted(names)) or 'none'} vs "
                    f"{', '.join(sorted(reference.placeholders)) or 'none'})"
                )
            parts = prompt.parts
            if prompt.audio and prompt.text and len(prompt.audio) != len(parts):
                problems.append(
                    f"{where}: needs {len(parts)} recording(s), one for each part between "
                    f"{{placeholders}} ({' | '.join(parts)}), not {len(prompt.audio)}"
                )
            for name in prompt.audio:
                if not (audio_dir / name).is_file():
                    problems.append(f"{where}: audio file {name!r} is not in {audio_dir}")
        for source, table in catalogue.labels.get(lang, {}).items():
            known = taxonomy.CATEGORIES if source == "categories" else taxonomy.DESTINATIONS
            for code in sorted(set(table) - set(known)):
                problems.append(f"{lang}.yaml: labels.{source}: {code!r} is not in the list")
    return problems


def _check_played(scr: Script, catalogue: Catalogue, audio_dir: Path) -> list[str]:
    """What Africa's Talking would read with its English voice in a language it cannot speak:
    prompts without recordings, values (digits, list labels, status words) without theirs, and
    prompts of another language heard in such a call (the offer of English)."""
    problems = []
    english = "so Africa's Talking would read it with its English voice"
    for lang in (lang for lang in catalogue.languages if lang not in SPOKEN_LANGUAGES):
        prompt_files = set()
        for key, prompt in catalogue.prompts.get(lang, {}).items():
            prompt_files.update(prompt.audio)
            if not prompt.audio and prompt.text and not prompt.placeholders & UNRECORDABLE:
                problems.append(f"{lang}.yaml: prompt {key!r} has no recording (audio:), {english}")
        for name, words in recordings.needed(catalogue, lang).items():
            if name not in prompt_files and not (audio_dir / name).is_file():
                problems.append(
                    f"{lang}: {words!r} has no recording {name!r} in {audio_dir}, {english}"
                )
        other = catalogue.next_language(lang)
        for node in scr.nodes.values():
            for ref in node.say:
                prompt = catalogue.get(ref.key, other) if ref.lang == "next" else None
                if prompt is not None and prompt.text and not prompt.audio:
                    problems.append(
                        f"{node.file}: node {node.name!r}: prompt {ref.key!r} of {other}.yaml is "
                        f"heard in {lang} calls and has no recording (audio:), {english}"
                    )
    return problems


def _check_target(scr: Script, target: Target, where: str) -> list[str]:
    problems = []
    if target.next is None and target.action is None:
        problems.append(f"{where}: leads nowhere (give a node, or an action)")
    if target.next is not None and target.next not in scr.nodes:
        problems.append(f"{where}: leads to {target.next!r}, which does not exist")
    if target.action is not None and target.action not in script_mod.ACTIONS:
        problems.append(
            f"{where}: unknown action {target.action!r} (known: {', '.join(script_mod.ACTIONS)})"
        )
    for name, value in target.set.items():
        valid = ANSWER_VALUES.get(name)
        if valid is not None and not valid(value):
            problems.append(f"{where}: {value!r} is not a valid {name}")
    return problems


def _check_node(scr: Script, catalogue: Catalogue, node: Node) -> list[str]:
    where = f"{node.file}: node {node.name!r}"
    problems = _needs(catalogue, node.say, where)
    if not node.say and node.type != "list":
        problems.append(f"{where}: says nothing (add prompts under 'say')")
    for outcome in script_mod.OUTCOMES[node.type]:
        target = node.goto.get(outcome)
        if target is None:
            problems.append(f"{where}: has no '{outcome}:' (the node to go to next)")
        elif target not in scr.nodes:
            problems.append(f"{where}: {outcome} leads to {target!r}, which does not exist")
    if node.type == "menu":
        if not node.keys:
            problems.append(f"{where}: a menu without keys has no way forward")
        for key, target in node.keys.items():
            if key not in ALLOWED_KEYS:
                problems.append(
                    f"{where}: key {key!r} cannot be used (use 1-8 or *; 9 repeats, 0 goes back)"
                )
            problems += _check_target(scr, target, f"{where}, key {key}")
    elif node.keys:
        problems.append(f"{where}: only a menu has keys ({node.type} nodes ignore them)")
    if node.type == "list":
        if node.source not in lists.SOURCES:
            problems.append(
                f"{where}: source must be one of {', '.join(lists.SOURCES)} (got {node.source!r})"
            )
        if not node.answer:
            problems.append(f"{where}: has no 'answer:' (where to keep the choice)")
        if node.page_size > MAX_PAGE_SIZE:
            problems.append(f"{where}: page_size is at most {MAX_PAGE_SIZE} (8 reads more)")
        if node.other:
            problems += _needs(catalogue, (PromptRef(node.other),), f"{where}, other")
    if node.type == "info" and node.name == scr.start:
        problems.append(f"{where}: the first node cannot be 'info' (no way forward)")
    if node.type == "end" and node.name == scr.start:
        problems.append(f"{where}: the first node cannot be an end")
    return problems


def _check_nodes(scr: Script, catalogue: Catalogue) -> list[str]:
    problems = []
    if scr.start is not None and scr.start not in scr.nodes:
        problems.append(f"start: {scr.start!r} is not a node")
    problems += _needs(catalogue, scr.greeting, "greeting")
    for node in scr.nodes.values():
        problems += _check_node(scr, catalogue, node)
    return problems


def _check_reachable(scr: Script) -> list[str]:
    if scr.start not in scr.nodes:
        return []
    seen, queue = {scr.start}, deque([scr.start])
    while queue:
        node = scr.nodes[queue.popleft()]
        nexts = [t.next for t in node.keys.values()] + list(node.goto.values())
        for name in nexts:
            if name in scr.nodes and name not in seen:
                seen.add(name)
                queue.append(name)
    return [
        f"{node.file}: node {name!r} cannot be reached from {scr.start!r}"
        for name, node in scr.nodes.items()
        if name not in seen
    ]


def _check_status_words(catalogue: Catalogue) -> list[str]:
    problems = []
    for lang in catalogue.languages:
        for code in status.STATUSES:
            try:
                texts.status_word(code, lang)
            except KeyError:
                problems.append(f"casebridge/texts: no status word for {code!r} in {lang}")
    return problems
