"""The Africa's Talking USSD adapter: AT's fields in, `CON …`/`END …` out, bad input refused
with an END screen that says what went wrong, never an error page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from ussd.phone import CALLER, EVENTS_URL, URL, Phone, assert_ussd_reply

from casebridge.channel_events import UssdHop
from gateway.providers.africastalking.ussd import EventError, parse_end, parse_hop, render
from ussd_menus.screens import Screen

NO_SESSION = (
    "END Maaf, data sesi dari jaringan rusak atau tidak ada. Silakan tekan kode layanan lagi. "
    "Darurat: BP2MI 0800-1000 (gratis), Polisi 110."
)
NO_PHONE = (
    "END Maaf, nomor telepon Anda tidak terbaca dari jaringan, jadi laporan tidak bisa diterima "
    "di sini. Hubungi BP2MI 0800-1000 (gratis)."
)
BAD_REQUEST = (
    "END Maaf, permintaan dari jaringan tidak lengkap atau rusak. Silakan tekan kode layanan "
    "lagi. Darurat: BP2MI 0800-1000 (gratis), Polisi 110."
)
MAIN_MENU = (
    "CON Layanan Pengaduan Pekerja Migran\n1. Lapor masalah\n2. Cek status laporan\n"
    "3. Informasi\n4. Bahasa/Language"
)
# A first hop as AT sends it (protocols.md A1.1).
AT_FORM = {
    "sessionId": "ATUid_5d0d3a9d4f0a4b7f8d1e2c3b4a596877",
    "serviceCode": "*384*123#",
    "phoneNumber": "+6281234567890",
    "networkCode": "99999",
    "text": "",
}


@pytest.fixture
def settings_overrides() -> dict:
    """As on the USSD line's own tests: no webhook token (TestToken switches it on)."""
    return {}


def test_render_is_prefix_and_text():
    assert render(Screen("Pilih:\n1. Ya", end=False)) == "CON Pilih:\n1. Ya"
    assert render(Screen("Terima kasih.", end=True)) == "END Terima kasih."


def test_parse_hop_keeps_text_as_typed():
    form = {**AT_FORM, "text": "1*2*Siti Rahayu "}
    assert parse_hop(form) == UssdHop(
        provider="africastalking",
        session_id="ATUid_5d0d3a9d4f0a4b7f8d1e2c3b4a596877",
        phone="+6281234567890",
        service_code="*384*123#",
        text="1*2*Siti Rahayu ",
        network_code="99999",
    )
    assert parse_hop({}).text == "" and parse_hop({}).network_code is None


def test_first_hop_as_at_sends_it(client):
    resp = client.post(URL, data=AT_FORM)
    assert assert_ussd_reply(resp) == MAIN_MENU
    assert resp.headers["Content-Type"].startswith("text/plain")


def test_missing_text_is_the_first_hop(client):
    form = {k: v for k, v in AT_FORM.items() if k != "text"}
    assert assert_ussd_reply(client.post(URL, data=form)) == MAIN_MENU


@dataclass(frozen=True)
class Bad:
    name: str
    changes: dict
    reply: str


BAD_HOPS = [
    Bad("no session id", {"sessionId": None}, NO_SESSION),
    Bad("blank session id", {"sessionId": "   "}, NO_SESSION),
    Bad("session id with spaces", {"sessionId": "ATUid abc"}, NO_SESSION),
    Bad("session id too long", {"sessionId": "A" * 101}, NO_SESSION),
    Bad("session id not ASCII", {"sessionId": "ATUid_é"}, NO_SESSION),
    Bad("no phone", {"phoneNumber": None}, NO_PHONE),
    Bad("phone not a number", {"phoneNumber": "abc"}, NO_PHONE),
    Bad("phone too short", {"phoneNumber": "+62812"}, NO_PHONE),
    Bad("no service code", {"serviceCode": None}, BAD_REQUEST),
    Bad("service code not a code", {"serviceCode": "hello"}, BAD_REQUEST),
    Bad("network code not digits", {"networkCode": "net-1"}, BAD_REQUEST),
    Bad("text far too long", {"text": "1*" * 2001}, BAD_REQUEST),
]


@pytest.mark.parametrize("bad", BAD_HOPS, ids=[b.name for b in BAD_HOPS])
def test_malformed_hop_gets_an_end_screen_saying_so(client, services, bad):
    form = {k: v for k, v in {**AT_FORM, **bad.changes}.items() if v is not None}
    assert assert_ussd_reply(client.post(URL, data=form)) == bad.reply
    assert not services.redis.keys("ussd:session:*")


@pytest.mark.parametrize(
    "body",
    [
        {"data": b"", "content_type": "application/x-www-form-urlencoded"},
        {"json": AT_FORM},
        {"data": b"\xff\xfe\x00garbage", "content_type": "application/x-www-form-urlencoded"},
        {"data": b"--b\r\nbroken", "content_type": "multipart/form-data; boundary=b"},
    ],
    ids=["empty", "json", "binary", "broken multipart"],
)
def test_unreadable_bodies_get_an_end_screen(client, body):
    reply = assert_ussd_reply(client.post(URL, **body))
    assert reply.startswith("END ")


def test_too_large_body_is_refused_before_it_is_read(client):
    """AT ends the session gracefully on a 4xx (protocols.md A1.2)."""
    resp = client.post(URL, data=b"x" * 70_000, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 413


def test_national_phone_number_is_read_as_indonesian(client, services):
    reply = assert_ussd_reply(client.post(URL, data={**AT_FORM, "phoneNumber": "081234567890"}))
    assert reply == MAIN_MENU


def test_session_coming_back_from_another_phone_is_a_new_session(client, orgs):
    phone = Phone(client)
    phone.dial()
    intruder = Phone(client, "+6285712345678", phone.session_id)
    intruder.text = "1"
    assert intruder.post() == MAIN_MENU
    assert phone.press("1").startswith("CON Siapa yang melapor?\n")  # the first is untouched


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


class TestToken:
    @pytest.fixture
    def settings_overrides(self):
        return {"at_webhook_token": "s3cret-token"}

    @pytest.mark.parametrize("query", [{}, {"token": "wrong"}, {"token": ""}])
    def test_hop_without_the_token_is_forbidden(self, client, services, query):
        resp = client.post(URL, query_string=query, data=AT_FORM)
        assert resp.status_code == 403
        assert not services.redis.keys("ussd:*")

    def test_hop_with_the_token_is_answered(self, client):
        resp = client.post(URL, query_string={"token": "s3cret-token"}, data=AT_FORM)
        assert assert_ussd_reply(resp) == MAIN_MENU

    def test_events_need_the_token_too(self, client):
        form = {"sessionId": AT_FORM["sessionId"], "status": "Success"}
        assert client.post(EVENTS_URL, data=form).status_code == 403
        ok = client.post(EVENTS_URL, query_string={"token": "s3cret-token"}, data=form)
        assert ok.status_code == 200


def test_parse_end_maps_at_status_to_outcome():
    form = {
        "sessionId": "ATUid_x1",
        "status": "Incomplete",
        "phoneNumber": CALLER,
        "hopsCount": "7",
        "durationInMillis": "61000",
        "date": "2025-03-01 10:11:12",
        "cost": "KES 0.0",
        "input": "Siti",
        "lastAppResponse": "END PIN: 1234",
        "networkCode": "99999",
    }
    end = parse_end(form)
    assert (end.outcome, end.phone, end.hops, end.duration_ms) == ("dropped", CALLER, 7, 61000)
    assert end.meta == {"date": "2025-03-01 10:11:12", "networkCode": "99999", "cost": "KES 0.0"}
    assert parse_end({**form, "status": "Success"}).outcome == "completed"
    assert parse_end({**form, "status": "Failed"}).outcome == "failed"


STATUSES = "field 'status' must be one of Success, Incomplete, Failed"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"status": "Done"}, f"{STATUSES}, not 'Done'"),
        ({"status": None}, f"{STATUSES}, not ''"),
        ({"sessionId": None}, "missing or malformed field 'sessionId'"),
        ({"hopsCount": "three"}, "field 'hopsCount' must be a whole number, not 'three'"),
        ({"durationInMillis": "-5"}, "field 'durationInMillis' must be a whole number, not '-5'"),
    ],
)
def test_malformed_end_notification_is_refused_with_the_reason(client, changes, message):
    form = {"sessionId": "ATUid_x1", "status": "Success", **changes}
    form = {k: v for k, v in form.items() if v is not None}
    with pytest.raises(EventError) as caught:
        parse_end(form)
    assert str(caught.value) == message
    resp = client.post(EVENTS_URL, data=form)
    assert resp.status_code == 400 and resp.get_data(as_text=True) == message + "\n"
