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
        "en",
        (
            Say("Selamat datang.", "id", ("welcome_id.wav",)),
            Say("For English, press 7.", "en"),
            Say("To hear this again, press 9.", "en"),
        ),
        Gather(1, 8, "#"),
    )
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f"{DECLARATION}<Response>"
        f'<Play url="{AUDIO}/welcome_id.wav"/>'
        f'<GetDigits numDigits="1" timeout="8" finishOnKey="#" '
        'callbackUrl="https://gw.example.org/voice/africastalking/step?token=s3cr3t">'
        '<Say voice="woman">For English, press 7. To hear this again, press 9.</Say>'
        "</GetDigits>"
        "<Redirect>https://gw.example.org/voice/africastalking/step?token=s3cr3t&amp;timeout=1"
        "</Redirect></Response>"
    )


def test_record_holds_one_prompt():
    step = Step(
        "id",
        (Play("beep_intro.wav"), Say("Ceritakan setelah bunyi bip.", "id", ("record_id.wav",))),
        Record(120, "#", 6),
    )
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f"{DECLARATION}<Response>"
        f'<Play url="{AUDIO}/beep_intro.wav"/>'
        '<Record finishOnKey="#" maxLength="120" trimSilence="true" playBeep="true" '
        'callbackUrl="https://gw.example.org/voice/africastalking/step?token=s3cr3t">'
        f'<Play url="{AUDIO}/record_id.wav"/></Record></Response>'
    )


def test_a_prompt_with_several_recordings_is_played_file_by_file():
    digits = tuple(f"digit_{d}_id.wav" for d in "4821")
    step = Step("id", (Say("PIN Anda: 4 8 2 1.", "id", ("pin_is_id.wav", *digits)),), Hangup())
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f"{DECLARATION}<Response>"
        + "".join(f'<Play url="{AUDIO}/{name}"/>' for name in ("pin_is_id.wav", *digits))
        + "</Response>"
    )


def test_indonesian_without_a_recording_is_left_out_not_read_in_english():
    step = Step(
        "id",
        (Say("Laporan Anda.", "id", ("report_id.wav",)), Say("Lembaga: SBMI.", "id")),
        Hangup(),
    )
    assert to_at_xml(step, CALLBACK, AUDIO) == (
        f'{DECLARATION}<Response><Play url="{AUDIO}/report_id.wav"/></Response>'
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


def test_an_indonesian_call_is_played_even_the_offer_of_english():
    root = parse(to_at_xml(Call().step, CALLBACK, AUDIO))
    assert [(el.tag, el.get("url")) for el in root.iter("Say", "Play")] == [
        ("Play", f"{AUDIO}/welcome_id.wav"),
        ("Play", f"{AUDIO}/main_menu_id.wav"),
        ("Play", f"{AUDIO}/language_offer_en.wav"),
        ("Play", f"{AUDIO}/nav_root_id.wav"),
    ]


def test_an_indonesian_list_plays_each_label_then_press_and_the_key():
    call = Call()
    call.press("1")
    played = [
        el.get("url").rsplit("/", 1)[-1]
        for el in parse(to_at_xml(call.step, CALLBACK, AUDIO)).iter("Play")
    ]
    assert played[:7] == [
        "ask_category_id.wav",
        "category_repatriation_id.wav",
        "tekan_id.wav",
        "digit_1_id.wav",
        "category_unpaid_wages_id.wav",
        "tekan_id.wav",
        "digit_2_id.wav",
    ]
    assert played[-2:] == ["list_more_id.wav", "nav_id.wav"]


def test_english_is_said_and_the_indonesian_offer_played():
    root = parse(to_at_xml(Call(lang="en").step, CALLBACK, AUDIO))
    assert [el.tag for el in root] == ["Say", "Play", "GetDigits", "Redirect"]
    assert root[0].get("voice") == "woman"
    assert root[0].text.startswith("Welcome")
    assert root[1].get("url") == f"{AUDIO}/language_offer_id.wav"
