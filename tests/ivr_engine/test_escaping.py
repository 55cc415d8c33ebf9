"""Whatever a caller or the service puts into a step comes out escaped, on both providers."""

from __future__ import annotations

import pytest
from lxml import etree

from ivr_scripts.context import CaseStatus
from ivr_scripts.render_at import to_at_xml
from ivr_scripts.render_twiml import to_twiml

from .fakes import CALLER, Call, Case, FakeContext, make_ref

EVIL = "LBH <b>\"Jakarta\"</b> & 'Co' ]]> <Hangup/>"
REF = make_ref("1357913")


def status_step(lang: str):
    ctx = FakeContext(cases={REF: Case(CaseStatus(REF, "accepted", EVIL), CALLER, "1111")})
    call = Call(ctx, lang=lang)
    call.press("2", REF)
    return call.step


# AT reads only English; Twilio Indonesian too.
@pytest.mark.parametrize(
    ("render", "lang"),
    [
        (
            lambda s: to_twiml(s, "https://gw.example.org/t?a=1&b=<2>", "https://gw.example.org/a"),
            "id",
        ),
        (
            lambda s: to_at_xml(
                s, "https://gw.example.org/at?a=1&b=<2>", "https://gw.example.org/a"
            ),
            "en",
        ),
    ],
    ids=["twilio", "africastalking"],
)
def test_an_organisation_name_and_urls_with_markup_are_escaped(render, lang):
    xml = render(status_step(lang))
    root = etree.fromstring(xml.encode("utf-8"))
    spoken = " ".join(el.text for el in root.iter("Say"))
    assert EVIL in spoken
    assert "<b>" not in xml and "<Hangup/>" not in xml
    assert root.find(".//Hangup") is None
    callback = [
        v for el in root.iter() for k, v in el.attrib.items() if k in {"action", "callbackUrl"}
    ]
    assert callback and all("b=<2>" in v for v in callback)


def test_typed_digits_with_markup_are_just_a_wrong_entry():
    call = Call()
    call.press("2", "<b>&\"'")
    assert call.state["misses"] == 1
    assert call.node == "status_reference"
