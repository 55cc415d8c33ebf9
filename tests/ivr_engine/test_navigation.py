"""Keys that work everywhere: second chances, 9 to repeat, 0 to go back, the language."""

from __future__ import annotations

import pytest

from ivr_scripts import engine
from ivr_scripts.catalogue import shipped
from ivr_scripts.step import Gather, Hangup, Say, VoiceInput

from .fakes import CALLER, Call, FakeContext


def text(key: str, lang: str = "id") -> str:
    return shipped().get(key, lang).text


MAIN_ID = [text("main_menu"), text("language_offer", "en"), text("nav_root")]


def test_the_call_opens_in_indonesian_with_an_english_offer():
    call = Call()
    assert call.said == [text("welcome"), *MAIN_ID]
    offer = call.step.speech[2]
    assert isinstance(offer, Say) and offer.lang == "en"
    assert {item.lang for item in call.step.speech} == {"id", "en"}
    assert call.step.lang == "id"
    assert call.step.action == Gather(num_digits=1, timeout=8, finish_on_key="#")


@pytest.mark.parametrize("lang", ["fr", "", "ID"])
def test_an_unknown_language_falls_back_to_indonesian(lang):
    assert Call(lang=lang).state["lang"] == "id"


@pytest.mark.parametrize(
    "nothing",
    [VoiceInput(timed_out=True), VoiceInput(digits=""), VoiceInput(), VoiceInput(digits=" ")],
)
def test_no_input_twice_says_goodbye_and_hangs_up(nothing):
    call = Call()
    call.send(nothing)
    assert call.said == [text("no_input"), *MAIN_ID]
    assert isinstance(call.step.action, Gather)
    call.send(nothing)
    assert call.said == [text("no_input"), text("goodbye")]
    assert isinstance(call.step.action, Hangup)
    assert call.state["ended"] is True


def test_a_wrong_key_gets_a_second_chance():
    call = Call()
    call.press("5")
    assert call.said == [text("wrong_key"), *MAIN_ID]
    call.press("1")
    assert call.node == "report_category"


def test_a_valid_key_resets_the_second_chance():
    call = Call()
    call.press("5", "1", "6")  # wrong, right, wrong (only 4 options on a page)
    assert call.said[0] == text("wrong_key")
    assert isinstance(call.step.action, Gather)
    call.silence()
    assert call.said == [text("no_input"), text("goodbye")]


@pytest.mark.parametrize("key", ["8", "*", "#", "12"])
def test_keys_that_mean_nothing_in_the_main_menu(key):
    call = Call()
    call.press(key)
    assert call.said[0] == text("wrong_key")
    assert call.node == "main"


def test_7_switches_to_english_and_back():
    ctx = FakeContext()
    call = Call(ctx)
    call.press("7")
    assert call.state["lang"] == "en"
    assert call.step.lang == "en"
    assert call.said == [
        text("main_menu", "en"),
        text("language_offer", "id"),
        text("nav_root", "en"),
    ]
    assert call.step.speech[1].lang == "id"
    assert ctx.languages == [(CALLER, "en")]
    call.press("1")
    assert call.said[0] == text("ask_category", "en")
    call.press("0", "7")
    assert call.state["lang"] == "id"
    assert ctx.languages == [(CALLER, "en"), (CALLER, "id")]


def test_9_repeats_the_current_group_without_a_hint():
    call = Call()
    call.press("1", "8")
    before = call.step
    call.press("9")
    assert call.step == before
    assert call.state["page"] == 1


def test_0_goes_back_a_group_then_a_question():
    call = Call()
    call.press("1", "3", "8")
    assert (call.node, call.state["page"]) == ("report_country", 1)
    call.press("0")
    assert (call.node, call.state["page"]) == ("report_country", 0)
    call.press("0")
    assert (call.node, call.state["page"]) == ("report_category", 0)
    call.press("0")
    assert call.node == "main"
    assert call.said == MAIN_ID  # no greeting again
    call.press("0")  # nowhere further back: the menu again
    assert call.said == MAIN_ID


def test_going_back_keeps_earlier_answers_until_they_are_changed():
    call = Call()
    call.press("1", "2", "1", "0", "0", "3")
    assert call.state["answers"]["category"] == "deportation"


def test_the_rights_information_then_back():
    call = Call()
    call.press("3")
    spoken = " ".join(call.said)
    for number in ("0 8 0 0, 1 0 0 0", "1 5 0 0, 6 3 0", "1 7 0 8"):
        assert number in spoken
    assert call.said[-1] == text("nav")
    call.press("4")
    assert call.said[0] == text("wrong_key")
    call.press("0")
    assert call.node == "main"


def test_the_stack_stays_short_however_long_the_caller_wanders():
    call = Call()
    for _ in range(30):
        call.press("3", "0", "1", "0", "2", "0")
    assert call.state["stack"] == []


def test_a_state_from_an_older_script_restarts_at_the_main_menu():
    state, _ = engine.start(CALLER, "id", FakeContext())
    state["node"] = "removed_node"
    state, step = engine.step(state, VoiceInput(digits="1"), FakeContext())
    assert state["node"] == "main"
    assert [s.text for s in step.speech] == MAIN_ID
