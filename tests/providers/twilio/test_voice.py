"""Twilio voice webhooks: signatures, malformed requests, retries, hang-ups, status callbacks."""

from __future__ import annotations

import logging

import pytest
from fakes.voice_plugin import (
    CALLER,
    TWILIO_TOKEN,
    case_of_call,
    reference_of_call,
    session_of_call,
)
from lxml import etree
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from casebridge import audit
from casebridge.models import CaseEvent, Organisation
from gateway.voice import context as voice_context
from gateway.voice.store import CallStore
from ivr_scripts import engine

URL = "http://127.0.0.1:5000/voice/twilio"
FORM = {
    "CallSid": "CA" + "a" * 32,
    "From": CALLER,
    "To": "+15005550006",
    "Direction": "inbound",
    "CallStatus": "ringing",
}


@pytest.fixture
def settings_overrides(voice_settings) -> dict:
    return voice_settings


def signed(url: str, form: dict, token: str = TWILIO_TOKEN) -> dict:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}


def to_report(call) -> None:
    call.dial()
    for key in ("1", "1", "1", "1", "1"):
        call.press(key)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}, signed(URL, FORM, token="other-token")],
    ids=["missing", "garbage", "other-token"],
)
@pytest.mark.parametrize(
    "path", ["/voice/twilio", "/voice/twilio/step?n=1", "/voice/twilio/status"]
)
def test_a_bad_signature_gets_403_and_changes_nothing(client, services, path, headers):
    res = client.post(path, data=FORM, headers=headers)
    assert res.status_code == 403
    assert (
        CallStore(services.redis, services.settings.data_keys).load("twilio", FORM["CallSid"])
        is None
    )


def test_a_signature_over_other_fields_gets_403(client):
    headers = signed(URL, {**FORM, "From": "+6289999999999"})
    assert client.post("/voice/twilio", data=FORM, headers=headers).status_code == 403


def test_a_signed_request_is_answered_with_twiml(client):
    res = client.post("/voice/twilio", data=FORM, headers=signed(URL, FORM))
    assert res.status_code == 200 and res.mimetype == "text/xml"
    assert etree.fromstring(res.data).find("Gather") is not None


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"CallSid": ""},
        {"CallSid": "CA<script>&amp;\"'"},
        {"CallSid": "x" * 101},
    ],
    ids=["empty", "blank-sid", "markup-sid", "long-sid"],
)
def test_a_malformed_request_gets_a_goodbye_not_an_error(client, form):
    res = client.post("/voice/twilio/step?n=1", data=form, headers=signed(URL + "/step?n=1", form))
    assert res.status_code == 200
    root = etree.fromstring(res.data)
    assert [el.tag for el in root] == ["Say", "Hangup"]
    assert "Sampai jumpa" in root.find("Say").text


def test_a_withheld_number_can_still_report_but_gets_no_sms(dial, services, jobs, orgs):
    call = dial("twilio", "anonymous")
    to_report(call)
    reply = call.record()
    assert "Nomor laporan Anda" in reply.text
    jobs.run()
    case = case_of_call(services, "twilio", call.call_id)
    assert case.reporter.phone.startswith("anon-") and not case.reporter.sms_safe
    # Nobody else calling without a number can hear it without the PIN.
    other = dial("twilio", "anonymous")
    other.dial()
    other.press("2")
    reply = other.press(case.reference)
    assert "PIN" in reply.text


def test_hanging_up_during_the_recording_still_opens_the_case(dial, services):
    call = dial("twilio")
    to_report(call)
    call.hang_up(duration=80)  # the status callback overtakes the recording's action
    call.status = "completed"
    call.record(key="hangup")
    assert reference_of_call(services, "twilio", call.call_id) is not None
    row = session_of_call(services, "twilio", call.call_id)
    assert row.case_reference == reference_of_call(services, "twilio", call.call_id)


def test_a_repeated_status_callback_records_the_call_once(dial, services, client):
    call = dial("twilio")
    call.dial()
    call.hang_up(duration=12)
    call.hang_up(duration=12)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'pengaduan_voice_completed_total{provider="twilio"} 1.0' in metrics
    assert 'pengaduan_voice_hangup_total{cause="completed",provider="twilio"} 1.0' in metrics
    assert session_of_call(services, "twilio", call.call_id).duration_ms == 12000


def test_a_non_final_status_callback_is_ignored(dial, services):
    call = dial("twilio")
    call.dial()
    call.hang_up(status="in-progress")
    assert session_of_call(services, "twilio", call.call_id) is None


def test_a_request_for_an_older_step_hears_the_same_reply(dial):
    call = dial("twilio")
    call.dial()
    first = call.press("1")
    call.repeat()
    assert call.reply.xml == first.xml
    assert "Apa masalahnya?" in call.reply.text


def test_the_organisation_name_is_escaped_when_read(dial, services, make_case):
    reference, _ = make_case(status="accepted")
    evil = "LBH <b>\"Jakarta\"</b> & 'Co' ]]> <Hangup/>"
    with services.db.session() as session:
        for org in session.scalars(select(Organisation)):
            org.public_name = evil
    call = dial("twilio")
    call.dial()
    call.press("2")
    reply = call.press(reference)
    assert evil in reply.text
    assert "<b>" not in reply.xml and reply.verbs == ["Gather"]


def test_a_report_that_cannot_be_stored_is_apologised_for(dial, services, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(voice_context, "submit_report", broken)
    call = dial("twilio")
    to_report(call)
    reply = call.record()
    assert "belum bisa kami simpan" in reply.text and reply.hangs_up


def test_a_bug_answers_a_goodbye(dial, monkeypatch):
    call = dial("twilio")
    call.dial()

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(engine, "step", broken)
    reply = call.press("1")
    assert reply.status == 200 and reply.hangs_up and "Sampai jumpa" in reply.text


def test_redis_away_is_a_503(dial, monkeypatch):
    def away(*args, **kwargs):
        raise RedisConnectionError("gone")

    monkeypatch.setattr(CallStore, "load", away)
    reply = dial("twilio").dial()
    assert reply.status == 503


def test_a_known_reporter_is_greeted_in_their_language(dial, make_case, services):
    make_case()
    call = dial("twilio")
    call.dial()
    call.press("7")  # switch to English: remembered on the reporter
    reply = dial("twilio").dial()
    assert "Welcome to the complaint line" in reply.text
    with services.db.session() as session:
        from casebridge import reporters

        assert reporters.find(session, CALLER).language == "en"


def test_an_unknown_caller_switching_language_leaves_no_trace(dial, services):
    call = dial("twilio", "+6281298765432")
    call.dial()
    call.press("7")
    with services.db.session() as session:
        from casebridge import reporters

        assert reporters.find(session, "+6281298765432") is None


def test_the_call_state_expires(dial, services):
    call = dial("twilio")
    call.dial()
    ttl = services.redis.ttl(f"voice:call:twilio:{call.call_id}")
    assert 0 < ttl <= 2 * 3600


def test_a_lost_call_state_starts_the_call_again(dial, services):
    call = dial("twilio")
    call.dial()
    services.redis.flushdb()
    reply = call.press("1")
    assert "Selamat datang" in reply.text


def test_no_pin_or_secret_reaches_the_logs(dial, services, jobs, orgs, caplog):
    caplog.set_level(logging.DEBUG)
    call = dial("twilio")
    to_report(call)
    reply = call.record()
    call.hang_up(duration=60)
    jobs.run()
    spoken_pin = reply.text.split("PIN Anda: ", 1)[1].split(".", 1)[0]
    pin = spoken_pin.replace(" ", "")
    assert len(pin) == 4
    logged = caplog.text
    assert spoken_pin not in logged and f"PIN {pin}" not in logged
    assert TWILIO_TOKEN not in logged and services.settings.at_webhook_token not in logged
    assert CALLER not in logged


def test_every_status_lookup_by_voice_is_audited(dial, services, make_case):
    reference, pin = make_case()
    own = dial("twilio")
    own.dial()
    own.press("2")
    own.press(reference)
    other = dial("twilio", "+6285712345678")
    other.dial()
    other.press("2")
    other.press(reference)
    other.press(f"{(int(pin) + 1) % 10000:04d}")
    other.press(pin)
    with services.db.session() as session:
        trail = [
            (e.kind, e.actor, e.data["outcome"])
            for e in session.scalars(
                select(CaseEvent)
                .where(CaseEvent.kind.in_(audit.AUDIT_KINDS))
                .order_by(CaseEvent.id)
            )
        ]
    assert trail == [
        (audit.READ, "reporter:voice", audit.OWN_PHONE),
        (audit.PIN_REFUSED, "pin:voice", audit.WRONG_PIN),
        (audit.READ, "pin:voice", audit.RIGHT_PIN),
    ]
