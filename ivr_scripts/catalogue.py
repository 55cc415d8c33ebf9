"""Spoken texts per language, read from `ivr_scripts/prompts/<lang>.yaml`.

A prompt is a text, or a mapping with `text` and/or `audio` (files in `ivr_scripts/audio/`
with the same words, for providers that have no voice for the language). Texts may hold
`{placeholders}` filled by the engine; a prompt whose placeholder has no value is skipped.
A prompt with placeholders names one recording per part of its text between them (its
`parts`); the values bring their own recordings (`Spoken`, see `recordings.py`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from casebridge.texts import DEFAULT_LANGUAGE, TextsError, language_files, read_file

from .step import Play, Say

PROMPTS_DIR = Path(__file__).parent / "prompts"
AUDIO_DIR = Path(__file__).parent / "audio"
LABEL_SOURCES = ("categories", "countries")


@dataclass(frozen=True)
class Spoken:
    """A placeholder's value: its text, and the recordings that say it (empty: none)."""

    text: str
    audio: tuple[str, ...] = ()


Value = str | Spoken | None


@dataclass(frozen=True)
class Prompt:
    text: str | None = None
    audio: tuple[str, ...] = ()

    @property
    def placeholders(self) -> frozenset[str]:
        """Names of the `{placeholders}` in the text."""
        if not self.text:
            return frozenset()
        return frozenset(f for _, f, _, _ in string.Formatter().parse(self.text) if f)

    @property
    def parts(self) -> tuple[str, ...]:
        """The words a recording of `audio` holds, one per file: the whole text, or with
        placeholders the words between them (mere punctuation needs no recording)."""
        if not self.text:
            return ()
        if not self.placeholders:
            return (self.text,)
        pieces = (lit.strip().lstrip(",.:;!? ") for lit, _, _, _ in _parse(self.text))
        return tuple(piece for piece in pieces if _has_words(piece))

    def recordings(self, values: dict[str, Value]) -> tuple[str, ...]:
        """The files that say this prompt with `values`, in order; empty when a part or a
        value has no recording."""
        if len(self.audio) != len(self.parts):
            return ()
        if not self.placeholders:
            return self.audio
        files, parts = [], iter(self.audio)
        for literal, name, _, _ in _parse(self.text or ""):
            if _has_words(literal):
                files.append(next(parts))
            if name:
                value = values.get(name)
                if not (isinstance(value, Spoken) and value.audio):
                    return ()
                files.extend(value.audio)
        return tuple(files)


def _parse(text: str) -> list[tuple]:
    return list(string.Formatter().parse(text))


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _text(value: Value) -> str | None:
    return value.text if isinstance(value, Spoken) else value


@dataclass(frozen=True)
class Catalogue:
    """All languages' prompts, plus optional spoken labels that override the taxonomy's."""

    languages: tuple[str, ...]
    prompts: dict[str, dict[str, Prompt]]
    labels: dict[str, dict[str, dict[str, str]]]

    def get(self, key: str, lang: str) -> Prompt | None:
        return self.prompts.get(lang, {}).get(key)

    def next_language(self, lang: str) -> str:
        """The language the switch key leads to (the next one, round the list)."""
        if lang not in self.languages:
            return self.languages[0]
        return self.languages[(self.languages.index(lang) + 1) % len(self.languages)]

    def speech(self, key: str, lang: str, values: dict[str, Value]) -> Say | Play | None:
        """The speech item for a prompt, or None when a placeholder has no value."""
        prompt = self.get(key, lang)
        if prompt is None:  # `check()` reports it; meanwhile say it in the default language
            lang = self.languages[0]
            prompt = self.get(key, lang)
        if prompt is None:
            raise KeyError(f"no prompt {key!r} in {lang!r}")
        if prompt.text is None:
            return Play(prompt.audio[0]) if prompt.audio else None
        texts = {name: _text(value) for name, value in values.items()}
        if any(texts.get(name) is None for name in prompt.placeholders):
            return None
        text = prompt.text.format_map({k: v for k, v in texts.items() if v is not None})
        return Say(text, lang, prompt.recordings(values))

    def label(self, source: str, code: str, lang: str) -> str | None:
        return self.labels.get(lang, {}).get(source, {}).get(code)


def spell_digits(digits: str, group: int = 4) -> str:
    """Digits to be read one by one, in groups: "48217739" -> "4 8 2 1, 7 7 3 9"."""
    clean = "".join(ch for ch in digits if ch.isdigit())
    groups = [clean[i : i + group] for i in range(0, len(clean), group)]
    return ", ".join(" ".join(g) for g in groups)


def _checked(prompt: Prompt, where: str, problems: list[str]) -> Prompt | None:
    """The prompt, or None (and a problem) when its {placeholders} are broken."""
    try:
        prompt.placeholders  # noqa: B018 - parsing is the check
    except ValueError as exc:
        problems.append(f"{where}: broken {{placeholder}}: {exc}")
        return None
    return prompt


def _prompt(raw: object, where: str, problems: list[str]) -> Prompt | None:
    if isinstance(raw, str):
        return _checked(Prompt(text=raw), where, problems)
    if isinstance(raw, dict):
        unknown = set(raw) - {"text", "audio"}
        text, audio = raw.get("text"), raw.get("audio")
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        if text is not None and not isinstance(text, str):
            problems.append(f"{where}: text must be text")
            text = None
        files = _files(audio, where, problems)
        if text is None and len(files) > 1:
            problems.append(f"{where}: a prompt without text plays one recording")
        if text or files:
            return _checked(Prompt(text=text, audio=files), where, problems)
    problems.append(f"{where}: needs a text (or a mapping with text and/or audio)")
    return None


def _files(audio: object, where: str, problems: list[str]) -> tuple[str, ...]:
    """`audio:` as a tuple of file names (one name, or a list of them)."""
    if audio is None:
        return ()
    names = [audio] if isinstance(audio, str) else audio
    if not (isinstance(names, list) and all(isinstance(n, str) and n for n in names)):
        problems.append(f"{where}: audio must be a file name or a list of file names")
        return ()
    return tuple(names)


def load(prompts_dir: Path | str | None = None) -> tuple[Catalogue, list[str]]:
    """Read every `<lang>.yaml`; returns the catalogue and the problems found."""
    folder = Path(prompts_dir) if prompts_dir else PROMPTS_DIR
    problems: list[str] = []
    prompts: dict[str, dict[str, Prompt]] = {}
    labels: dict[str, dict[str, dict[str, str]]] = {}
    for path in language_files(folder).values():
        lang = path.stem
        try:
            data = read_file(path) or {}
        except TextsError as exc:
            problems.append(str(exc))
            continue
        raw_prompts = data.get("prompts") if isinstance(data, dict) else None
        if not isinstance(raw_prompts, dict):
            problems.append(f"{path.name}: must have a 'prompts:' mapping")
            continue
        prompts[lang] = {}
        for key, raw in raw_prompts.items():
            prompt = _prompt(raw, f"{path.name}: prompt {key!r}", problems)
            if prompt is not None:
                prompts[lang][str(key)] = prompt
        raw_labels = data.get("labels") or {}
        labels[lang] = {}
        for source, table in raw_labels.items() if isinstance(raw_labels, dict) else ():
            if source not in LABEL_SOURCES or not isinstance(table, dict):
                problems.append(f"{path.name}: labels.{source}: expected one of {LABEL_SOURCES}")
                continue
            labels[lang][source] = {str(code): str(text) for code, text in table.items()}
    if DEFAULT_LANGUAGE not in prompts:
        problems.append(f"{folder}: no {DEFAULT_LANGUAGE}.yaml (the default language)")
    languages = tuple(sorted(prompts, key=lambda lang: (lang != DEFAULT_LANGUAGE, lang)))
    return Catalogue(languages or (DEFAULT_LANGUAGE,), prompts, labels), problems


@cache
def shipped() -> Catalogue:
    """The prompts shipped in `ivr_scripts/prompts/`, loaded once; raises if broken."""
    catalogue, problems = load()
    if problems:
        raise ValueError("broken voice prompts: " + "; ".join(problems))
    return catalogue
