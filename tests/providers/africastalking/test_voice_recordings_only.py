"""Africa's Talking reads English only: an Indonesian caller hears recordings and nothing else,
the report number and PIN played digit by digit, in order (the PIN heard opens the case)."""

from __future__ import annotations

import pytest
from fakes.voice_plugin import reference_of_call

OTHER_PHONE = "+6285711112222"


@pytest.fixture
def settings_overrides(voice_settings) -> dict:
    return voice_settings


def played(reply) -> list[str]:
    return [el.get("url").rsplit("/", 1)[-1] for el in reply.root.iter("Play")]


def digits(value: str) -> list[str]:
    return [f"digit_{d}_id.wav" for d in value]


def assert_only_recordings(call) -> None:
    for reply in call.replies:
        assert reply.find("Say") is None, reply.xml
        assert played(reply), reply.xml


def report(dial, services) -> tuple[str, str]:
    """A whole report in Indonesian; returns the reference and the PIN the caller heard."""
    call = dial("africastalking")
    call.dial()
    for key in ("1", "2", "1", "1", "1"):  # unpaid wages, Taiwan, myself, SMS is safe
        call.press(key)
    end = call.record()
    assert_only_recordings(call)
    reference = reference_of_call(services, "africastalking", call.call_id)
    files = played(end)
    pin_at = files.index("pin_is_id.wav") + 1
    pin = "".join(name.split("_")[1] for name in files[pin_at : pin_at + 4])
    assert files == [
        "report_received_id.wav",
        "reference_is_id.wav",
        *digits(reference),
        "reference_again_id.wav",
        *digits(reference),
        "pin_is_id.wav",
        *digits(pin),
        "pin_keep_id.wav",
        "goodbye_id.wav",
    ]
    return reference, pin


def test_a_report_call_is_heard_from_recordings_only(dial, services):
    call = dial("africastalking")
    call.dial()
    labels = played(call.press("1"))
    assert labels[:4] == [
        "ask_category_id.wav",
        "category_repatriation_id.wav",
        "tekan_id.wav",
        "digit_1_id.wav",
    ]
    countries = played(call.press("2"))
    assert countries[:7] == [
        "ask_country_id.wav",
        "country_my_id.wav",
        "tekan_id.wav",
        "digit_1_id.wav",
        "country_tw_id.wav",
        "tekan_id.wav",
        "digit_2_id.wav",
    ]
    assert_only_recordings(call)
    report(dial, services)


def test_the_pin_heard_opens_the_status_from_another_phone(dial, services, jobs, orgs):
    reference, pin = report(dial, services)
    jobs.run()
    call = dial("africastalking", OTHER_PHONE)
    call.dial()
    call.press("2")
    assert played(call.press(reference)) == ["ask_pin_id.wav"]
    result = call.press(pin)
    assert_only_recordings(call)
    # The organisation's name has no recording: that sentence is left out, not read in English.
    assert played(result) == [
        "status_is_id.wav",
        *digits(reference),
        "status_assigned_id.wav",
        "nav_id.wav",
    ]
