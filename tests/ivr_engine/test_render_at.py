"""Steps as Africa's Talking voice XML."""

from __future__ import annotations

import pytest
from lxml import etree

from ivr_scripts.render_at import to_at_xml
from ivr_scripts.step import Gather, Hangup, Play, Record, Reject, Say, Step

from .fakes import Call

CALLBACK = "https://gw.example.org/voice/africastalking/step?token=s3cr3t"
AUDIO = "https://gw.example.org/voice/audio"
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"


def parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))


def test_get_digits_holds_one_prompt_and_a_redirect_follows():
    step = Step(
        "id",
        (
            Say("Selamat datang.", "id", "welcome_id.wav"),
            Say("For English, press 7.", "en"),
            Say("Untuk mendengar lagi, tekan 9.", "id"),
        ),
        Gather(1, 8, "#"),
    )
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f"{DECLARATION}<Response>"
        f'<Play url="{AUDIO}/welcome_id.wav"/>'
        f'<GetDigits numDigits="1" timeout="8" finishOnKey="#" '
        'callbackUrl="https://gw.example.org/voice/africastalking/step?token=s3cr3t">'
        '<Say voice="woman">For English, press 7. Untuk mendengar lagi, tekan 9.</Say>'
        "</GetDigits>"
        "<Redirect>https://gw.example.org/voice/africastalking/step?token=s3cr3t&amp;timeout=1"
        "</Redirect></Response>"
    )


def test_record_holds_one_prompt():
    step = Step(
        "id",
        (Play("beep_intro.wav"), Say("Ceritakan setelah bunyi bip.", "id", "record_id.wav")),
        Record(120, "#", 6),
    )
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f"{DECLARATION}<Response>"
        f'<Play url="{AUDIO}/beep_intro.wav"/>'
        '<Record finishOnKey="#" maxLength="120" trimSilence="true" playBeep="true" '
        'callbackUrl="https://gw.example.org/voice/africastalking/step?token=s3cr3t">'
        f'<Play url="{AUDIO}/record_id.wav"/></Record></Response>'
    )


def test_hangup_just_ends_the_document():
    step = Step("en", (Say("Thank you.", "en"), Say("Goodbye.", "en")), Hangup())
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f'{DECLARATION}<Response><Say voice="woman">Thank you. Goodbye.</Say></Response>'
    )


def test_reject_is_the_only_element():
    step = Step("id", (Say("ignored", "id"),), Reject())
    assert to_at_xml(step, CALLBACK, AUDIO) == f"{DECLARATION}<Response><Reject/></Response>"


def test_hostile_text_is_escaped():
    evil = "<b>&\"'</Say><Reject/>"
    xml = to_at_xml(Step("en", (Say(evil, "en"),), Gather(8, 12, "#")), CALLBACK, AUDIO)
    root = parse(xml)
    assert root.find("GetDigits/Say").text == evil
    assert root.find("Reject") is None
    assert "&lt;b&gt;&amp;" in xml


@pytest.mark.parametrize(
    "keys",
    [(), ("1",), ("1", "1", "1", "1", "1"), ("3",), ("5", "5"), ("2", "12345678", "1")],
)
def test_engine_steps_render_to_valid_at_xml(keys):
    call = Call()
    call.press(*keys)
    root = parse(to_at_xml(call.step, CALLBACK, AUDIO))
    assert root.tag == "Response"
    allowed = {"Say", "Play", "GetDigits", "Record", "Redirect"}
    assert {child.tag for child in root} <= allowed
    for verb in root.iter("GetDigits", "Record"):
        assert len(verb) == 1 and verb[0].tag in {"Say", "Play"}
        assert verb.get("callbackUrl") == CALLBACK
    getdigits = root.find("GetDigits")
    if getdigits is not None:
        assert getdigits.getnext().tag == "Redirect"
        assert getdigits.getnext().getnext() is None
    for play in root.iter("Play"):
        assert play.get("url").startswith(AUDIO + "/")


def test_indonesian_prompts_with_a_recording_are_played():
    root = parse(to_at_xml(Call().step, CALLBACK, AUDIO))
    assert [(el.tag, el.get("url") or el.text) for el in root][:3] == [
        ("Play", f"{AUDIO}/welcome_id.wav"),
        ("Play", f"{AUDIO}/main_menu_id.wav"),
        ("Say", "For English, press 7."),
    ]


def test_english_is_said_and_the_indonesian_offer_played():
    root = parse(to_at_xml(Call(lang="en").step, CALLBACK, AUDIO))
    assert [el.tag for el in root] == ["Say", "Play", "GetDigits", "Redirect"]
    assert root[0].get("voice") == "woman"
    assert root[0].text.startswith("Welcome")
    assert root[1].get("url") == f"{AUDIO}/language_offer_id.wav"
