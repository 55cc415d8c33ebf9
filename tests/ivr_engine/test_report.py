"""Leaving a report by voice: problem, country, who calls, SMS safety, recording."""

from __future__ import annotations

from casebridge import taxonomy
from ivr_scripts.catalogue import shipped
from ivr_scripts.step import Gather, Hangup, Record

from .fakes import CALLER, Call, FakeContext


def text(key: str, lang: str = "id") -> str:
    return shipped().get(key, lang).text


def reach_recording(call: Call, category_keys=("8", "2"), country_keys=("8", "8", "3")):
    call.press("1", *category_keys, *country_keys, "1", "1")
    assert call.node == "report_record"


def test_whole_report_reads_the_reference_back_twice():
    call = Call()
    call.press("1")
    assert call.node == "report_category"
    call.press("8")  # second group of problems
    assert call.said[0] == f"{taxonomy.category_label(taxonomy.CATEGORIES[4])}, tekan 1."
    call.press("2")
    assert call.node == "report_country"
    call.press("8", "8")  # third group of countries
    call.press("3")
    assert call.node == "report_relationship"
    call.press("1")  # the caller is the worker
    call.press("1")  # SMS is safe
    assert call.node == "report_record"
    assert call.said == [text("record_instructions")]
    assert call.step.action == Record(max_length=120, finish_on_key="#", timeout=6)

    step = call.record("https://api.twilio.com/rec/RE1", 42)

    assert call.ctx.submissions == [
        {
            "answers": {
                "category": taxonomy.CATEGORIES[5],
                "country": taxonomy.DESTINATIONS[10],
                "relationship": "self",
                "sms_safe": True,
            },
            "phone": CALLER,
            "lang": "id",
            "recording_url": "https://api.twilio.com/rec/RE1",
            "recording_duration": 42,
        }
    ]
    lines = call.said
    assert sum("4 8 2 1, 7 7 3 9" in line for line in lines) == 2
    assert sum("1 2 3 4" in line for line in lines) == 1
    assert lines[0] == text("report_received")
    assert lines[-1] == text("goodbye")
    assert isinstance(step.action, Hangup)
    assert call.state["ended"] is True
    assert call.state["submission"] == {
        "reference": "48217739",
        "pin": "1234",
        "organisation": "SBMI Banyuwangi",
    }


def test_lists_start_with_the_most_frequent_in_groups_of_four():
    call = Call()
    call.press("1")
    first = taxonomy.CATEGORIES[:4]
    labels = [shipped().label("categories", c, "id") or taxonomy.category_label(c) for c in first]
    assert call.said[:5] == [text("ask_category")] + [
        f"{label}, tekan {key}." for key, label in enumerate(labels, start=1)
    ]
    assert call.said[5:] == [text("list_more"), text("nav")]
    assert call.step.action == Gather(num_digits=1, timeout=8, finish_on_key="#")


def test_spoken_labels_have_no_slashes():
    call = Call()
    call.press("1")
    spoken = []
    for _ in range(4):
        spoken += call.said
        call.press("8")
    assert not [line for line in spoken if "/" in line]


def test_the_last_group_offers_the_list_again_and_8_wraps_round():
    call = Call()
    call.press("1", "8", "8", "8")
    assert text("list_restart") in call.said
    call.press("8")
    assert call.state["page"] == 0
    assert call.said[0] == text("ask_category")


def test_another_country_family_member_and_unsafe_sms():
    call = Call()
    call.press("1", "2", "8", "8", "4", "2", "2")
    call.record()
    answers = call.ctx.submissions[0]["answers"]
    assert answers == {
        "category": taxonomy.CATEGORIES[1],
        "country": None,
        "relationship": "other",
        "sms_safe": False,
    }


def test_an_empty_recording_gets_one_more_try():
    call = Call()
    reach_recording(call)
    call.record(url=None, seconds=None)
    assert call.node == "report_record"
    assert call.said == [text("record_again"), text("record_instructions")]
    assert isinstance(call.step.action, Record)
    assert call.ctx.submissions == []
    call.record("https://api.twilio.com/rec/RE2", 17)
    assert call.ctx.submissions[0]["recording_url"] == "https://api.twilio.com/rec/RE2"
    assert call.node == "report_done"


def test_a_second_empty_recording_still_opens_the_case_without_it():
    call = Call()
    reach_recording(call)
    call.record(seconds=0)
    call.silence()  # Twilio's <Redirect ?timeout=1> after an empty <Record>
    [submission] = call.ctx.submissions
    assert submission["recording_url"] is None
    assert submission["recording_duration"] is None
    assert call.node == "report_done"


def test_a_failed_submit_apologises_hangs_up_and_keeps_the_answers():
    call = Call(FakeContext(fail_submit=True))
    reach_recording(call)
    step = call.record("https://api.twilio.com/rec/RE3", 30)
    assert call.said == [text("submit_failed")]
    assert isinstance(step.action, Hangup)
    assert call.state["answers"]["sms_safe"] is True
    assert call.state["answers"]["category"] == taxonomy.CATEGORIES[5]
    assert call.state["recording"] == {"url": "https://api.twilio.com/rec/RE3", "duration": 30}
    assert call.state["submission"] is None


def test_nothing_happens_after_the_end():
    call = Call()
    reach_recording(call)
    call.record()
    step = call.press("1")
    assert step.speech == () and isinstance(step.action, Hangup)
    assert len(call.ctx.submissions) == 1


def test_an_english_report():
    call = Call(lang="en")
    call.press("1")
    assert call.said[0] == text("ask_category", "en")
    assert call.said[1] == f"{taxonomy.category_label(taxonomy.CATEGORIES[0], 'en')}, press 1."
    call.press("1", "1", "1", "1")
    call.record()
    assert call.ctx.submissions[0]["lang"] == "en"
    assert sum("4 8 2 1, 7 7 3 9" in line for line in call.said) == 2
