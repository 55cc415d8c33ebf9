"""Africa's Talking voice callbacks: the token, malformed requests, final notifications,
calls we placed, and hostile values."""

from __future__ import annotations

import pytest
from fakes.voice_plugin import AT_NUMBER, AT_TOKEN, CALLER, reference_of_call, session_of_call
from lxml import etree

from gateway.voice import callback

FORM = {
    "sessionId": "ATVId_0123456789",
    "isActive": "1",
    "direction": "Inbound",
    "callerNumber": CALLER,
    "destinationNumber": AT_NUMBER,
}


@pytest.fixture
def settings_overrides(voice_settings) -> dict:
    return voice_settings


@pytest.mark.parametrize("query", ["", "?token=wrong", f"?token={AT_TOKEN}x", "?n=1"])
@pytest.mark.parametrize("path", ["/voice/africastalking", "/voice/africastalking/step"])
def test_without_the_token_the_callback_is_refused(client, path, query):
    assert client.post(path + query, data=FORM).status_code == 403


def test_with_the_token_the_callback_is_answered_with_at_xml(client):
    res = client.post(f"/voice/africastalking?token={AT_TOKEN}", data=FORM)
    assert res.status_code == 200 and res.mimetype == "application/xml"
    root = etree.fromstring(res.data)
    assert (
        root.find("GetDigits")
        .get("callbackUrl")
        .startswith(f"http://127.0.0.1:5000/voice/africastalking/step?token={AT_TOKEN}&n=1")
    )


@pytest.mark.parametrize(
    "form",
    [{}, {"sessionId": "ATVId_<x>&\"'"}, {"isActive": "0"}],
    ids=["empty", "markup-session", "final-without-session"],
)
def test_a_malformed_callback_gets_a_goodbye(client, form):
    res = client.post(f"/voice/africastalking?token={AT_TOKEN}", data=form)
    assert res.status_code == 200
    root = etree.fromstring(res.data)
    assert [el.tag for el in root] == ["Play"]
    assert root.find("Play").get("url").endswith("/voice/audio/goodbye_id.wav")


def test_the_final_notification_closes_the_call_record(dial, services, client):
    call = dial("africastalking")
    call.dial()
    call.press("3")
    reply = call.hang_up(duration=61, cause="NORMAL_CLEARING")
    assert reply.status == 200 and reply.verbs == []
    row = session_of_call(services, "africastalking", call.call_id)
    assert (row.channel, row.status, row.hangup_cause) == ("voice", "completed", "NORMAL_CLEARING")
    assert row.duration_ms == 61000 and row.hops == 2 and row.last_screen == "rights"
    assert row.phone == CALLER
    assert row.meta == {
        "cost": "0.12",
        "currency": "USD",
        "direction": "inbound",
        "callback": False,
        "language": "id",
    }
    metrics = client.get("/metrics").get_data(as_text=True)
    assert (
        'pengaduan_voice_hangup_total{cause="NORMAL_CLEARING",provider="africastalking"} 1.0'
        in metrics
    )
    assert 'pengaduan_voice_seconds_total{provider="africastalking"} 61.0' in metrics


def test_a_hostile_hangup_cause_is_stored_short_and_counted_as_other(dial, services, client):
    call = dial("africastalking")
    call.dial()
    call.hang_up(cause="<script>" + "X" * 200)
    row = session_of_call(services, "africastalking", call.call_id)
    assert len(row.hangup_cause) == 60
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'cause="other",provider="africastalking"' in metrics
    assert "<script>" not in metrics


def test_a_recording_in_the_final_notification_still_opens_the_case(dial, services):
    call = dial("africastalking")
    call.dial()
    for key in ("1", "1", "1", "1", "1"):
        call.press(key)
    url = "https://voice.africastalking.com/recordings/last-words.mp3"
    call.hang_up(duration=100, recordingUrl=url)
    reference = reference_of_call(services, "africastalking", call.call_id)
    assert reference is not None
    assert session_of_call(services, "africastalking", call.call_id).case_reference == reference


def test_a_call_we_placed_is_for_the_number_we_called(dial, services):
    callback.remember_outbound(
        services.redis, services.settings.data_keys, "africastalking", "ATVId_out1", CALLER
    )
    call = dial("africastalking", "+6281111111111", outbound=True, call_id="ATVId_out1")
    reply = call.dial()
    assert "Selamat datang" in reply.text
    call.hang_up(duration=5)
    assert session_of_call(services, "africastalking", "ATVId_out1").phone == CALLER


def test_a_call_we_placed_without_a_memory_is_for_the_number_that_is_not_ours(dial, services):
    call = dial("africastalking", CALLER, outbound=True)
    call.dial()
    call.hang_up(duration=5)
    row = session_of_call(services, "africastalking", call.call_id)
    assert row.phone == CALLER and row.meta["direction"] == "outbound"


def test_hostile_dtmf_digits_are_a_wrong_key(dial):
    call = dial("africastalking")
    call.dial()
    reply = call.press("<Reject/>&'\"")
    assert "Maaf, pilihan itu tidak ada." in reply.text
    assert reply.root.find("Reject") is None


def test_a_nul_in_a_final_notification_is_left_out(dial, services):
    call = dial("africastalking")
    call.dial()
    for key in ("1", "1", "1", "1", "1"):
        call.press(key)
    call.hang_up(cause="NORMAL\u0000_CLEARING")
    row = session_of_call(services, "africastalking", call.call_id)
    assert row.hangup_cause == "NORMAL_CLEARING"
