"""Any sequence of caller inputs gives a valid step, a JSON state, and XML that parses."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ivr_scripts.context import CaseStatus
from ivr_scripts.render_at import to_at_xml
from ivr_scripts.render_twiml import to_twiml
from ivr_scripts.step import Gather, Hangup, Record, VoiceInput

from .fakes import CALLER, Call, Case, FakeContext, make_ref

REF = make_ref("2468013")

inputs = st.one_of(
    st.sampled_from("0123456789*#").map(lambda d: VoiceInput(digits=d)),
    st.just(VoiceInput(timed_out=True)),
    st.just(VoiceInput(digits=REF)),
    st.just(VoiceInput(digits="1111")),
    st.text(max_size=10).map(lambda t: VoiceInput(digits=t)),
    st.builds(
        VoiceInput,
        recording_url=st.one_of(st.none(), st.just("https://api.twilio.com/rec/RE9")),
        recording_duration=st.one_of(st.none(), st.integers(-1, 200)),
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(["id", "en"]), st.booleans(), st.lists(inputs, max_size=25))
def test_random_calls_never_break(lang, fail_submit, sequence):
    status = CaseStatus(REF, "needs_info", "Migrant CARE & <Co>")
    ctx = FakeContext(cases={REF: Case(status, CALLER, "1111")}, fail_submit=fail_submit)
    call = Call(ctx, lang=lang)
    for inp in sequence:
        step = call.send(inp)
        assert isinstance(step.action, Gather | Record | Hangup)
        assert step.speech or isinstance(step.action, Hangup)
        for xml in (
            to_twiml(step, "https://gw.example.org/v?x=1&y=2", "https://gw.example.org/a"),
            to_at_xml(step, "https://gw.example.org/v?x=1&y=2", "https://gw.example.org/a"),
        ):
            assert etree.fromstring(xml.encode("utf-8")).tag == "Response"
        assert len(ctx.submissions) <= 1
        if call.state["ended"]:
            assert isinstance(step.action, Hangup)
