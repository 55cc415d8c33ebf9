"""Hearing the status of a report by voice."""

from __future__ import annotations

import pytest

from casebridge import taxonomy, texts
from ivr_scripts.catalogue import shipped
from ivr_scripts.context import CaseStatus
from ivr_scripts.step import Gather, Hangup

from .fakes import CALLER, OTHER_PHONE, Call, Case, FakeContext, make_ref

REF = make_ref("4821773")  # 48217739


def text(key: str, lang: str = "id") -> str:
    return shipped().get(key, lang).text


def mistype(reference: str) -> str:
    """The reference with its third digit changed: the check digit no longer matches."""
    wrong = str((int(reference[2]) + 1) % 10)
    return reference[:2] + wrong + reference[3:]


@pytest.fixture
def ctx() -> FakeContext:
    status = CaseStatus("4821-7739", "in_progress", "SBMI Banyuwangi")
    return FakeContext(cases={REF: Case(status, CALLER, "2468")})


def status_lines(organisation: str = "SBMI Banyuwangi", status: str = "in_progress") -> list[str]:
    word = texts.status_word(status, "id")
    return [
        f"Status laporan 4 8 2 1, 7 7 3 9: {word}.",
        f"Lembaga yang menangani: {organisation}.",
        text("nav"),
    ]


def test_a_mistyped_reference_is_refused_then_the_right_one_is_heard(ctx):
    call = Call(ctx)
    call.press("2")
    assert call.said == [text("ask_reference")]
    assert call.step.action == Gather(num_digits=8, timeout=12, finish_on_key="#")
    call.press(mistype(REF))
    assert call.node == "status_reference"
    assert call.said == [text("bad_reference"), text("ask_reference")]
    assert call.state["misses"] == 1
    call.press(REF)
    assert call.node == "status_result"
    assert call.said == status_lines()


def test_the_status_never_names_the_problem():
    status = CaseStatus(REF, "accepted", "LBH Surabaya")
    call = Call(FakeContext(cases={REF: Case(status, CALLER, "2468")}))
    call.press("2", REF)
    spoken = " ".join(call.said).lower()
    for code in taxonomy.CATEGORIES:
        for lang in ("id", "en"):
            assert taxonomy.category_label(code, lang).lower() not in spoken
    assert "kekerasan" not in spoken and "tppo" not in spoken


def test_two_mistyped_references_end_the_call(ctx):
    call = Call(ctx)
    call.press("2", mistype(REF), "1234")
    assert call.said == [text("bad_reference"), text("goodbye")]
    assert isinstance(call.step.action, Hangup)


def test_a_reference_with_the_dash_or_spaces_is_fine(ctx):
    call = Call(ctx)
    call.press("2", "4821-7739")
    assert call.node == "status_result"


def test_another_phone_needs_the_pin(ctx):
    call = Call(ctx, phone=OTHER_PHONE)
    call.press("2", REF)
    assert call.node == "status_pin"
    assert call.said == [text("ask_pin")]
    assert call.step.action == Gather(num_digits=4, timeout=10, finish_on_key="#")
    call.press("2468")
    assert call.said == status_lines()


def test_an_unknown_reference_asks_for_the_pin_too_and_says_nothing_more(ctx):
    call = Call(ctx)
    call.press("2", make_ref("1111111"))
    assert call.node == "status_pin"
    assert call.said == [text("ask_pin")]


def test_a_wrong_pin_gets_a_second_chance_then_goodbye(ctx):
    call = Call(ctx, phone=OTHER_PHONE)
    call.press("2", REF, "1111")
    assert call.said == [text("not_found"), text("ask_pin")]
    call.press("123")  # too short
    assert call.said == [text("bad_pin"), text("goodbye")]
    assert isinstance(call.step.action, Hangup)


def test_a_locked_case_says_so_and_hangs_up(ctx):
    ctx.pin_failures = ctx.lock_after
    call = Call(ctx, phone=OTHER_PHONE)
    call.press("2", REF, "2468")
    assert call.node == "status_locked"
    assert call.said == [text("pin_locked"), text("goodbye")]
    assert isinstance(call.step.action, Hangup)


def test_no_organisation_yet_skips_that_sentence():
    call = Call(FakeContext(cases={REF: Case(CaseStatus(REF, "new", None), CALLER, "2468")}))
    call.press("2", REF)
    assert call.said == status_lines(status="new")[:1] + [text("nav")]


def test_an_unknown_status_is_spoken_neutrally():
    call = Call(FakeContext(cases={REF: Case(CaseStatus(REF, "archived", "X"), CALLER, "1")}))
    call.press("2", REF)
    assert call.said[0] == f"Status laporan 4 8 2 1, 7 7 3 9: {text('status_unknown')}."


def test_9_and_0_work_while_typing_a_number(ctx):
    call = Call(ctx)
    call.press("2", "9")
    assert call.said == [text("ask_reference")]
    call.press("0")
    assert call.node == "main"
    call.press("2", REF, "0")  # from the status, back to typing another number
    assert call.node == "status_reference"


def test_status_in_english(ctx):
    call = Call(ctx, lang="en")
    call.press("2", REF)
    word = texts.status_word("in_progress", "en")
    assert call.said[:2] == [
        f"Status of report 4 8 2 1, 7 7 3 9: {word}.",
        "Handled by: SBMI Banyuwangi.",
    ]
