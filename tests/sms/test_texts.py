"""Every text of the SMS channel is GSM-7 (no UCS-2, which halves an SMS) and, filled with
the longest realistic values, fits one SMS; only texts carrying someone's free words may be
longer. Texts to reporters never name a problem."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from casebridge import gsm, places, taxonomy
from casebridge import texts as case_texts
from gateway.sms import questions, texts

DEMO_ORGS = Path(__file__).resolve().parents[2] / "gateway" / "demo" / "organisations.yaml"

LONGEST_ORG = max(
    (o["name"] for o in yaml.safe_load(DEMO_ORGS.read_text())["organisations"]), key=len
)
LONGEST_STATUS = max(
    (
        case_texts.status_word(s, lang)
        for s in case_texts.catalogue("id")["status"]
        for lang in ("id", "en")
    ),
    key=len,
)
FILLED = {
    "ref": "4821-7730",
    "pin": "1234",
    "org": LONGEST_ORG,
    "target": LONGEST_ORG,
    "source": LONGEST_ORG,
    "status": LONGEST_STATUS,
    "code": "SERIKAT-JABAR",
    "regency": max((r.short for r in places.regencies()), key=len),
    "province": max((p.name for p in places.provinces()), key=len),
    "named": max((p.name for p in places.provinces()), key=len),
}
FREE = {"text", "category", "place", "worker", "reporter", "safe", "last_sms", "description"}
"""Fields carrying free or variable-length words: those texts may take more than one SMS."""


def _walk(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{prefix}{key}.")
    elif not isinstance(node, list):  # lists are word lists, not texts
        yield prefix[:-1], node


def _all_texts():
    for lang in texts.LANGUAGES:
        for source, catalogue in (
            ("sms", texts.catalogue(lang)),
            ("case", case_texts.catalogue(lang)),
        ):
            for key, text in _walk(catalogue):
                yield pytest.param(text, id=f"{source}:{lang}:{key}")
        for question in questions.order():
            for answers in ({}, {"relationship": "parent"}):
                text = questions.ask(question, answers, lang)
                yield pytest.param(text, id=f"ask:{lang}:{question}:{len(answers)}")
            yield pytest.param(questions.retry(question, lang), id=f"retry:{lang}:{question}")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("text", list(_all_texts()))
def test_gsm7_and_one_segment(text):
    assert isinstance(text, str), "YAML turned a value into something else: quote it"
    fields = _fields(text)
    rendered = text.format(**FILLED, **{f: "" for f in fields - set(FILLED)})
    assert gsm.is_gsm7(rendered), gsm.non_gsm7(rendered)
    if not fields & FREE:
        assert gsm.segments(rendered) == ("GSM-7", 1), f"{len(rendered)} characters: {rendered!r}"


def test_both_languages_have_the_same_texts():
    keys = [{k for k, _ in _walk(texts.catalogue(lang))} for lang in texts.LANGUAGES]
    assert keys[0] == keys[1]
    for lang in texts.LANGUAGES:
        for key, value in _walk(texts.catalogue(lang)):
            assert _fields(value) == _fields(texts.lookup(key, "id")), (lang, key)


SENSITIVE_WORDS = (
    "kekerasan",
    "tppo",
    "pelecehan",
    "perdagangan",
    "violence",
    "trafficking",
    "abuse",
    "detained",
    "ditahan polisi",
)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_nothing_sent_to_a_reporter_names_a_sensitive_problem(lang):
    reporter_texts = [v for k, v in _walk(texts.catalogue(lang)) if not k.startswith("cw.")]
    reporter_texts += [questions.ask(q, {}, lang) for q in questions.order()]
    reporter_texts += [v for k, v in _walk(case_texts.catalogue(lang)) if not k.startswith("cw_")]
    for text in reporter_texts:
        lowered = text.lower()
        assert not any(word in lowered for word in SENSITIVE_WORDS), text
        for code in taxonomy.SENSITIVE_CATEGORIES:
            assert taxonomy.category_label(code, lang).lower() not in lowered, text


def test_the_category_menu_never_lists_a_sensitive_category():
    assert not set(questions.dialogue()["choices"]["category"]) & taxonomy.SENSITIVE_CATEGORIES


def test_every_category_can_be_reached_by_the_reporters_words():
    assert set(questions.dialogue()["category_words"]) == set(taxonomy.CATEGORIES)
