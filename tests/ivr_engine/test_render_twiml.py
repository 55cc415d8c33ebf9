"""Steps as Twilio TwiML: exact outputs for small steps, parsed checks for real ones."""

from __future__ import annotations

import pytest
from lxml import etree

from ivr_scripts.render_twiml import to_twiml
from ivr_scripts.step import Gather, Hangup, Play, Record, Reject, Say, Step

from .fakes import Call

ACTION = "https://gw.example.org/voice/twilio/step"
AUDIO = "https://gw.example.org/voice/audio/"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
ID_SAY = '<Say language="id-ID" voice="Google.id-ID-Standard-A">'
EN_SAY = '<Say language="en-US" voice="Google.en-US-Standard-C">'


def parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))


def test_a_menu_is_a_gather_around_its_prompts():
    step = Step(
        "id",
        (
            Say("Untuk melapor, tekan 1.", "id", ("menu_id.wav",)),
            Say("For English, press 7.", "en"),
        ),
        Gather(1, 8, "#"),
    )
    assert to_twiml(step, ACTION, AUDIO) == (
        f"{DECLARATION}<Response>"
        f'<Gather action="{ACTION}" actionOnEmptyResult="true" finishOnKey="#" input="dtmf" '
        'method="POST" numDigits="1" timeout="8">'
        f"{ID_SAY}Untuk melapor, tekan 1.</Say>"
        f"{EN_SAY}For English, press 7.</Say>"
        "</Gather></Response>"
    )


def test_a_recording_then_a_redirect_for_when_nothing_was_recorded():
    step = Step("en", (Say("Speak after the beep.", "en"),), Record(120, "#", 6))
    assert to_twiml(step, ACTION + "?call=1", AUDIO) == (
        f"{DECLARATION}<Response>"
        f"{EN_SAY}Speak after the beep.</Say>"
        f'<Record action="{ACTION}?call=1" finishOnKey="#" maxLength="120" method="POST" '
        'playBeep="true" timeout="6" trim="trim-silence" />'
        f'<Redirect method="POST">{ACTION}?call=1&amp;timeout=1</Redirect>'
        "</Response>"
    )


def test_goodbye_plays_recordings_and_hangs_up():
    step = Step("id", (Say("Terima kasih.", "id"), Play("bye id.wav")), Hangup())
    assert to_twiml(step, ACTION, AUDIO) == (
        f"{DECLARATION}<Response>{ID_SAY}Terima kasih.</Say>"
        "<Play>https://gw.example.org/voice/audio/bye%20id.wav</Play><Hangup /></Response>"
    )


def test_reject_is_alone():
    step = Step("id", (Say("ignored", "id"),), Reject())
    assert to_twiml(step, ACTION, AUDIO) == f"{DECLARATION}<Response><Reject /></Response>"


def test_hostile_text_is_escaped():
    evil = "<b>&\"'</Say><Hangup/>"
    xml = to_twiml(Step("id", (Say(evil, "id"),), Gather(4, 10, "#")), ACTION, AUDIO)
    root = parse(xml)
    assert root.find("Gather/Say").text == evil
    assert root.find("Hangup") is None
    assert "&lt;b&gt;&amp;" in xml


@pytest.mark.parametrize(
    ("keys", "verb"),
    [((), "Gather"), (("1", "1", "1", "1", "1"), "Record"), (("5", "5"), "Hangup")],
)
def test_engine_steps_render_to_valid_twiml(keys, verb):
    call = Call()
    call.press(*keys)
    root = parse(to_twiml(call.step, ACTION, AUDIO))
    assert root.tag == "Response"
    assert root[0].tag in {verb, "Say"}
    assert root.find(f".//{verb}") is not None
    for say in root.iter("Say"):
        assert (say.get("language"), say.get("voice")) in {
            ("id-ID", "Google.id-ID-Standard-A"),
            ("en-US", "Google.en-US-Standard-C"),
        }
        assert say.text


def test_the_main_menu_gather():
    root = parse(to_twiml(Call().step, ACTION, AUDIO))
    [gather] = root
    assert gather.tag == "Gather"
    assert dict(gather.attrib) == {
        "action": ACTION,
        "actionOnEmptyResult": "true",
        "finishOnKey": "#",
        "input": "dtmf",
        "method": "POST",
        "numDigits": "1",
        "timeout": "8",
    }
    languages = [say.get("language") for say in gather]
    assert languages == ["id-ID", "id-ID", "en-US", "id-ID"]
