"""The questions of the SMS report dialogue (`dialogue.yaml`): how each is asked, with numbered
choices, and how a reply is read — the number, or the word, tolerantly."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from casebridge import places, taxonomy
from casebridge.origin import parse_origin
from casebridge.places import fold

from . import texts

Answers = dict[str, Any]
LABEL_CUTOFF = 80.0
TYPO_MIN_LENGTH = 6
"""Words of a reporter's answer at least this long may be one typo away from a category word."""
MAX_NAME = 100
MIN_COUNTRY_SPAN = 4
COUNTRY_IN_NAME = 85.0
"""How much of a country's name a word of a first message must be to name that country."""
DEFAULTS: dict[str, Answers] = {
    "country": {"country": None},
    "category": {"category": "other"},
    "relationship": {"relationship": "self"},
    "name": {"name": None},
    "gender": {"gender": "unspecified"},
    "origin": {"province": None},
    "sms_safe": {"sms_safe": False},
}
"""What a question records when it is skipped (not understood too often, or answered 0)."""


@cache
def dialogue() -> dict[str, Any]:
    return yaml.safe_load((files(__package__) / "dialogue.yaml").read_text(encoding="utf-8"))


def order() -> list[str]:
    return list(dialogue()["questions"])


def answered(question: str, answers: Answers) -> bool:
    return any(key in answers for key in DEFAULTS[question])


def next_question(answers: Answers) -> str | None:
    return next((q for q in order() if not answered(q, answers)), None)


def _label(question: str, code: str, lang: str) -> str:
    if question == "country":
        return taxonomy.country_name(code, lang)
    if question == "relationship":
        return taxonomy.relationship_label(code, lang)
    if question == "gender":
        return taxonomy.gender_label(code, lang)
    return texts.lookup(f"choice.{question}.{code}", lang)


def choices(question: str, lang: str) -> list[tuple[str, str]]:
    """The numbered choices of a question as (code, label), in order."""
    return [
        (code, _label(question, code, lang)) for code in dialogue()["choices"].get(question, ())
    ]


def _head(question: str, answers: Answers, lang: str, channel: str) -> str:
    key = question
    if question == "name":
        key = "name_self" if answers.get("relationship", "self") == "self" else "name_other"
    if question == "sms_safe" and channel == "whatsapp":
        key = "sms_safe_whatsapp"
    return texts.lookup(f"ask.{key}", lang)


def ask(question: str, answers: Answers, lang: str, channel: str = "sms") -> str:
    """The question's SMS: its text, then one numbered choice per line."""
    head = _head(question, answers, lang, channel)
    lines = [f"{i} {label}" for i, (_, label) in enumerate(choices(question, lang), start=1)]
    return "\n".join([head, *lines])


def interactive(question: str, answers: Answers, lang: str, channel: str = "sms") -> dict | None:
    """The question's choices for a channel that shows them as buttons or a list (WhatsApp):
    `{"choices": {"head", "button", "rows": [{"id": "1", "title": label}, …]}}`; a reply
    carries the row's id, the choice's number, read like a typed one. None without choices."""
    found = choices(question, lang)
    if not found:
        return None
    rows = [{"id": str(i), "title": label} for i, (_, label) in enumerate(found, start=1)]
    head = _head(question, answers, lang, channel)
    return {"choices": {"head": head, "button": texts.lookup("choose", lang), "rows": rows}}


def retry(question: str, lang: str) -> str:
    key = question if question in ("country", "category", "name", "origin") else "choice"
    return texts.lookup(f"retry.{key}", lang)


def _words(kind: str) -> frozenset[str]:
    return frozenset(fold(w) for w in dialogue()[kind])


def is_skip(text: str) -> bool:
    return fold(text) in _words("skip_words") or text.strip() == "0"


def _numbered(question: str, text: str) -> str | None:
    codes = dialogue()["choices"].get(question, ())
    digits = text.strip().rstrip(".")
    if digits.isdigit() and 1 <= int(digits) <= len(codes):
        return codes[int(digits) - 1]
    return None


def _by_word(question: str, text: str) -> str | None:
    """The choice whose label, or one of whose words (dialogue.yaml), the reply is."""
    tokens = set(fold(text).split())
    words = dialogue().get("choice_words", {}).get(question, {})
    hits = {code for code, listed in words.items() if tokens & {fold(w) for w in listed}}
    if len(hits) == 1:
        return hits.pop()
    labels = {
        fold(label): code
        for language in texts.LANGUAGES
        for code, label in choices(question, language)
    }
    found = process.extractOne(
        fold(text), list(labels), scorer=fuzz.WRatio, score_cutoff=LABEL_CUTOFF
    )
    return labels[found[0]] if found else None


def categories_in(text: str, typos: bool = False) -> set[str]:
    """The categories whose words appear in a reporter's text."""
    found = set()
    tokens = fold(text).split()
    for code, words in dialogue()["category_words"].items():
        for token in tokens:
            if token in words or (
                typos
                and len(token) >= TYPO_MIN_LENGTH
                and any(OSA.distance(token, w, score_cutoff=1) <= 1 for w in words)
            ):
                found.add(code)
    return found


def _names_country(span: str) -> str | None:
    """The destination a span of words names, or None. The tolerant country matcher must also
    find the span inside the country's own name, so that ordinary words never count."""
    if len(span.replace(" ", "")) < MIN_COUNTRY_SPAN:
        return None
    code = taxonomy.find_country(span)
    if code not in taxonomy.DESTINATIONS:
        return None
    squeezed = span.replace(" ", "")
    for lang in texts.LANGUAGES:
        name = fold(taxonomy.country_name(code, lang)).replace(" ", "")
        if fuzz.partial_ratio(squeezed, name) >= COUNTRY_IN_NAME:
            return code
    return None


def guess(description: str) -> Answers:
    """Answers a first message already gives: one destination it names, one category whose
    words alone appear in it. Anything doubtful is left to the questions."""
    guessed: Answers = {}
    tokens = fold(description).split()
    spans = {" ".join(tokens[i : i + n]) for n in (1, 2) for i in range(len(tokens))}
    countries = {code for code in map(_names_country, spans) if code}
    if len(countries) == 1:
        guessed["country"] = countries.pop()
    found = categories_in(description)
    if len(found) == 1 and "other" not in found:
        guessed["category"] = found.pop()
    return guessed


class AskAgain(Exception):
    """A reply that was read but cannot be taken as it is; `text` asks the question again."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _origin(text: str, lang: str) -> Answers | None:
    origin = parse_origin(text)
    if origin.conflict:
        raise AskAgain(
            texts.render(
                "retry.origin_conflict",
                lang,
                regency=origin.regency.short,
                province=places.province(origin.regency.province_code).name,
                named=origin.named.name,
            )
        )
    if origin.regency:
        r = origin.regency
        return {"province": r.province_code, "regency": r.name, "regency_code": r.code}
    if origin.named:
        return {"province": origin.named.code}
    return None


def read(question: str, text: str, answers: Answers, lang: str) -> Answers | None:
    """The answers a reply gives to `question`, or None when it is not understood; AskAgain
    when it is understood but contradicts itself."""
    text = text.strip()
    if not text:
        return None
    if question == "sms_safe":
        choice = _numbered(question, text)
        folded = fold(text)
        if choice == "yes" or folded in _words("yes_words"):
            return {"sms_safe": True}
        if choice == "no" or folded in _words("no_words"):
            return {"sms_safe": False}
        return None
    if question in ("country", "name", "origin") and is_skip(text):
        return dict(DEFAULTS[question])
    if question == "country":
        code = _numbered(question, text) or taxonomy.find_country(text)
        return {"country": code} if code else None
    if question == "category":
        code = _numbered(question, text)
        if code:
            return {"category": code}
        found = categories_in(text, typos=True)
        if len(found) == 1:
            return {"category": found.pop(), "extra": text}
        return None
    if question in ("relationship", "gender"):
        code = _numbered(question, text) or _by_word(question, text)
        return {question: code} if code else None
    if question == "name":
        letters = sum(c.isalpha() for c in text)
        if letters < 2 or len(text) > MAX_NAME:
            return None
        return {"name": " ".join(text.split())}
    if question == "origin":
        return _origin(text, lang)
    raise ValueError(f"unknown question {question!r}")
