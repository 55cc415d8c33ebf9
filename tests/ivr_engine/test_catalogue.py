"""Prompts, digits read one by one, and the no-input marker."""

from __future__ import annotations

import pytest

from ivr_scripts.catalogue import Catalogue, Prompt, Spoken, spell_digits
from ivr_scripts.step import Play, Say
from ivr_scripts.urls import audio_url, is_no_input, mark_no_input

CATALOGUE = Catalogue(
    languages=("id", "en"),
    prompts={
        "id": {
            "hello": Prompt("Halo.", ("hello_id.wav",)),
            "ref": Prompt("Nomor: {reference}.", ("nomor_id.wav",)),
            "pin": Prompt("PIN: {pin}. Simpan.", ("pin_id.wav", "simpan_id.wav")),
            "org": Prompt("Lembaga: {organisation}.", ("lembaga_id.wav",)),
            "jingle": Prompt(None, ("jingle.wav",)),
        },
        "en": {"ref": Prompt("Number: {reference}.")},
    },
    labels={},
)


@pytest.mark.parametrize(
    ("digits", "spoken"),
    [("48217739", "4 8 2 1, 7 7 3 9"), ("4821-7739", "4 8 2 1, 7 7 3 9"), ("1234", "1 2 3 4")],
)
def test_digits_are_read_one_by_one_in_groups(digits, spoken):
    assert spell_digits(digits) == spoken


def test_a_prompt_with_values():
    assert CATALOGUE.speech("ref", "en", {"reference": "1 2"}) == Say("Number: 1 2.", "en")


def test_a_prompt_whose_value_is_missing_is_skipped():
    assert CATALOGUE.speech("ref", "en", {"reference": None}) is None


def test_a_prompt_missing_in_a_language_is_said_in_the_default_one():
    assert CATALOGUE.speech("hello", "en", {}) == Say("Halo.", "id", ("hello_id.wav",))


def test_a_prompt_with_values_is_recorded_part_by_part_and_value_by_value():
    pin = Spoken("1 2", ("d1.wav", "d2.wav"))
    assert CATALOGUE.speech("pin", "id", {"pin": pin}) == Say(
        "PIN: 1 2. Simpan.", "id", ("pin_id.wav", "d1.wav", "d2.wav", "simpan_id.wav")
    )
    assert CATALOGUE.get("pin", "id").parts == ("PIN:", "Simpan.")


def test_a_value_without_recordings_leaves_the_prompt_without_any():
    say = CATALOGUE.speech("org", "id", {"organisation": "SBMI"})
    assert say == Say("Lembaga: SBMI.", "id", ())


def test_a_recording_only_prompt_is_played():
    assert CATALOGUE.speech("jingle", "id", {}) == Play("jingle.wav")


def test_the_switch_key_goes_round_the_languages():
    assert [CATALOGUE.next_language(x) for x in ("id", "en", "fr")] == ["en", "id", "id"]


@pytest.mark.parametrize(
    ("url", "marked"),
    [
        ("https://gw.example.org/voice/at", "https://gw.example.org/voice/at?timeout=1"),
        ("https://gw.example.org/v?token=a%2Bb", "https://gw.example.org/v?token=a%2Bb&timeout=1"),
        ("https://gw.example.org/v?timeout=1", "https://gw.example.org/v?timeout=1"),
    ],
)
def test_the_no_input_marker(url, marked):
    assert mark_no_input(url) == marked
    assert is_no_input({"timeout": "1"}) and not is_no_input({})


def test_audio_urls_are_quoted():
    assert audio_url("https://x.org/audio/", "a b.wav") == "https://x.org/audio/a%20b.wav"
