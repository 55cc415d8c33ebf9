"""Whatever people press, the engine answers with a screen that fits, and never fails."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ussd_menus import engine
from ussd_menus.context import CaseStatus

from .fakes import CALLER, FakeContext, StoredCase, assert_fits, make_ref

KEYS = st.one_of(
    st.sampled_from(["0", "00", "98", "*", "", " ", "1", "2", "3", "4", "5", "12", "16", "99"]),
    st.integers(min_value=0, max_value=120).map(str),
    st.sampled_from(["Siti*Rahayu", "jatim", "Malang", "Jawa Barat", "bandung", "Taiwan"]),
    st.sampled_from(["+60123456789", "0812345678", make_ref("4821773"), "4321", "1234-5678"]),
    st.text(max_size=30),
    st.text(alphabet="abc*#0123456789 ", min_size=100, max_size=400),
)
CONTEXTS = st.builds(
    FakeContext,
    cases=st.lists(
        st.builds(
            StoredCase,
            status=st.builds(
                CaseStatus,
                reference=st.just(make_ref("4821773")),
                status=st.sampled_from(["new", "accepted", "needs_info", "??weird"]),
                organisation=st.one_of(st.none(), st.text(max_size=60)),
            ),
            phone=st.just(CALLER),
            pin=st.just("4321"),
        ),
        max_size=12,
    ),
    orgs=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=70)), max_size=7),
    fail_submits=st.integers(min_value=0, max_value=2),
    locked=st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ctx=CONTEXTS, lang=st.sampled_from(["id", "en", "xx"]), keys=st.lists(KEYS, max_size=45))
def test_random_key_sequences(ctx, lang, keys):
    state, screen = engine.start(CALLER, lang, ctx)
    assert_fits(screen)
    for key in keys:
        state = json.loads(json.dumps(state))  # as stored in Redis between hops
        state, screen = engine.step(state, key, ctx)
        assert_fits(screen)
        assert len(json.dumps(state)) < 2048
        if engine.in_report(state):
            resumed, offer = engine.start(CALLER, lang, ctx, resume=state)
            assert_fits(offer)


REPORT = ["1", "2", "3", "Nama " * 20, "2", "12", "Arab Saudi", "16"]
REPORT += ["Jawa Timur", "Banyuwangi", "1", "x" * 300, "2", "1", "2"]


@settings(max_examples=150, deadline=None)
@given(ctx=CONTEXTS, lang=st.sampled_from(["id", "en"]), keys=st.lists(KEYS, max_size=12))
def test_reports_with_detours(ctx, lang, keys):
    state, screen = engine.start(CALLER, lang, ctx)
    for key in [*REPORT[:6], *keys, *REPORT]:
        state, screen = engine.step(state, key, ctx)
        assert_fits(screen)
        assert len(json.dumps(state)) < 2048


def test_garbage_state_starts_again():
    ctx = FakeContext()
    for bad in ({}, {"v": 1}, {"v": 1, "phone": "x", "lang": "id", "at": "who", "pg": "?"}, []):
        state, screen = engine.step(bad, "1", ctx)
        assert_fits(screen)
        assert state["at"] == "main"
    state, _ = engine.start(CALLER, "id", ctx)
    state["at"] = "no_such_screen"
    state, screen = engine.step(state, "1", ctx)
    assert state["at"] == "main" and not screen.end
