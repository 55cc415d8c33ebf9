"""Whatever a phone or the network sends, the endpoint answers with a USSD screen: never a
500, never more than 182 characters, never a character outside GSM-7."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge import refs

from .phone import CALLER, EVENTS_URL, OTHER_PHONE, URL, Phone, assert_ussd_reply, new_session_id

REF = "4821773" + refs.check_digit("4821773")
KEYS = st.one_of(
    st.sampled_from(["0", "00", "98", "1", "2", "3", "4", "5", "9", "12", "16", "99", "*", "#"]),
    st.integers(min_value=0, max_value=120).map(str),
    st.sampled_from(["Siti*Rahayu", "jatim", "Malang", "Jawa Barat", "Taiwan", "Arab Saudi"]),
    st.sampled_from(["+60123456789", "0812345678", REF, "4321", "1234-5678", "Gaji belum"]),
    st.text(max_size=40),
    st.text(alphabet="abc*#0123456789 ", min_size=100, max_size=300),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    phone=st.sampled_from([CALLER, OTHER_PHONE]),
    sessions=st.lists(st.lists(KEYS, max_size=25), min_size=1, max_size=3),
)
def test_random_key_sequences_always_get_a_screen(client, orgs, phone, sessions):
    for keys in sessions:  # a later session may be offered to continue an earlier one
        session = Phone(client, phone, new_session_id("fuzz"))
        session.dial()
        for key in keys:
            if session.reply.startswith("END "):
                break
            session.press(key)  # checks 200, CON/END, <= 182 GSM-7 characters


REPORT = ["1", "2", "5", "Nama " * 20, "3", "12", "Arab Saudi", "16", "Jawa Timur", "Malang"]
REPORT += ["1", "x" * 300, "2", "1", "2", "1"]


@FUZZ
@given(detour=st.lists(KEYS, max_size=10))
def test_reports_with_detours_always_get_a_screen(client, orgs, detour):
    session = Phone(client, CALLER, new_session_id("detour"))
    session.dial()
    for key in [*REPORT[:5], *detour, *REPORT]:
        if session.reply.startswith("END "):
            break
        session.press(key)


FIELDS = ["sessionId", "serviceCode", "phoneNumber", "networkCode", "text", "status"]
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "*123#", "+6281234567890", "99999", "ATUid_x", "1*2*3", "Success"]),
    st.text(alphabet="0123456789*#+", max_size=30),
    st.text(min_size=3000, max_size=5000),
)
FORMS = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), VALUES)


@FUZZ
@given(form=FORMS)
def test_random_forms_never_break_the_hop_endpoint(client, form):
    resp = client.post(URL, data=form)
    if resp.status_code == 413:  # refused before it is read (AT ends the session gracefully)
        assert len(urlencode(form)) > client.application.config["MAX_CONTENT_LENGTH"]
        return
    assert_ussd_reply(resp)


@FUZZ
@given(form=FORMS)
def test_random_forms_never_break_the_events_endpoint(client, form):
    assert client.post(EVENTS_URL, data=form).status_code in (200, 400, 413)


@FUZZ
@given(text=st.text(max_size=200))
def test_random_cumulative_text_on_a_known_session(client, text):
    session = Phone(client, CALLER, new_session_id("text"))
    session.dial()
    session.text = text
    session.post()
