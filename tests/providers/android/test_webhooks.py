"""`POST /sms/android`: only the phone's signed, fresh webhooks change anything; bad input is a
400 (never a 500); replays and content-derived ids are handled as the app sends them."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

import pytest
from fakes.android_phone import DEVICE_ID
from sqlalchemy import select

from casebridge.models import Message
from gateway.providers import android

from .conftest import KEY

REPORTER = "+6285712345678"


def inbound(services) -> list[Message]:
    with services.db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "in")))


def test_sign_is_the_documented_hmac():
    """The app's docs: hex HMAC-SHA256 over the raw body followed by the timestamp."""
    body, stamp = b'{"event":"sms:received"}', "1732330800"
    expected = hmac.new(KEY.encode(), body + stamp.encode(), hashlib.sha256).hexdigest()
    assert android.sign(KEY, body, stamp) == expected


@dataclass(frozen=True)
class Refused:
    name: str
    options: dict


REFUSED = [
    Refused("no signature", {"signature": ""}),
    Refused("wrong key", {"key": "not-the-key"}),
    Refused("garbage signature", {"signature": "zz" * 32}),
    Refused("no timestamp", {"timestamp": ""}),
    Refused("timestamp not a number", {"timestamp": "yesterday"}),
    Refused("timestamp in other digits", {"timestamp": "١٧٣٢٣٣٠٨٠٠"}),
    Refused("5,000-digit timestamp", {"timestamp": "9" * 5000}),
    Refused("non-ASCII signature", {"signature": "é" * 64}),
    Refused("stale by 301 s", {"age": 301}),
    Refused("301 s in the future", {"age": -301}),
]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_unsigned_or_stale_webhooks_are_403_and_change_nothing(phone, services, case):
    options = dict(case.options)
    if "age" in options:  # correctly signed, at a time too far from now
        options["timestamp"] = str(int(time.time()) - options.pop("age"))
    response = phone.received(REPORTER, "LAPOR gaji", **options)
    assert response.status_code == 403
    assert inbound(services) == []
    assert services.redis.hgetall(android.PHONE_KEY) == {}


def test_a_timestamp_within_five_minutes_is_accepted(phone, services):
    assert (
        phone.received(REPORTER, "LAPOR", timestamp=str(int(time.time()) - 290)).status_code == 204
    )
    assert len(inbound(services)) == 1


def test_a_tampered_body_is_refused(phone, services):
    body = json.dumps({"event": "sms:received", "id": "e1", "payload": {}}).encode()
    stamp = str(int(time.time()))
    signature = android.sign(KEY, body, stamp)
    response = phone.post(
        "", {}, body=body.replace(b"e1", b"e2"), timestamp=stamp, signature=signature
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "settings_overrides", [{"android_webhook_key": None, "allow_unsigned_webhooks": False}]
)
def test_without_a_key_every_webhook_is_refused(phone, services, settings_overrides):
    assert phone.received(REPORTER, "LAPOR").status_code == 403
    assert inbound(services) == []


def test_received_is_stored_with_its_route(phone, services):
    response = phone.received(
        REPORTER, "LAPOR gaji belum dibayar", sim=2, event_id="Ey6ECgOkVVFjz3CL48B8C"
    )
    assert response.status_code == 204 and response.data == b""
    [row] = inbound(services)
    assert (row.provider, row.provider_message_id, row.dedupe_key, row.phone, row.body) == (
        "android",
        "Ey6ECgOkVVFjz3CL48B8C",
        "android:Ey6ECgOkVVFjz3CL48B8C",
        REPORTER,
        "LAPOR gaji belum dibayar",
    )
    assert row.our_number == f"sim:2@{DEVICE_ID}"
    assert row.meta["device_id"] == DEVICE_ID and row.meta["sim"] == 2
    assert row.meta["received_at"].endswith("+07:00")


DOCS_RECEIVED = {
    "messageId": "abc123",
    "message": "Android is always a sweet treat!",
    "sender": "6505551212",
    "recipient": "+1234567890",
    "simNumber": 1,
    "receivedAt": "2024-06-22T15:46:11.000+07:00",
}
"""The `sms:received` payload of the app's current docs: no deprecated `phoneNumber`."""


@pytest.mark.parametrize(
    ("fields", "sender"),
    [
        ({"sender": REPORTER}, REPORTER),
        ({"sender": REPORTER, "phoneNumber": REPORTER}, REPORTER),  # the app today: both
        ({"phoneNumber": REPORTER}, REPORTER),  # older app versions: only phoneNumber
        ({"sender": "+6281234567890", "phoneNumber": REPORTER}, "+6281234567890"),
        ({"sender": None, "phoneNumber": REPORTER}, REPORTER),
    ],
)
def test_the_sender_is_read_from_sender_then_phone_number(phone, services, fields, sender):
    payload = {**{k: v for k, v in DOCS_RECEIVED.items() if k != "sender"}, **fields}
    assert phone.post("sms:received", payload).status_code == 204
    [row] = inbound(services)
    assert row.phone == sender and row.body == "Android is always a sweet treat!"
    assert row.meta["sim_phone"] == "+1234567890"


def test_the_docs_received_payload_keeps_its_sender_as_reported(phone, services):
    """The docs' example sender has no country code: it is not taken for +62 6505551212."""
    assert phone.post("sms:received", DOCS_RECEIVED).status_code == 204
    [row] = inbound(services)
    assert row.phone == "6505551212"


def test_a_retried_webhook_is_one_message_identical_texts_are_two(phone, services):
    """The phone retries with the same event id; its messageId is the same for equal texts."""
    assert phone.received(REPORTER, "INFO", event_id="evt-1").status_code == 204
    assert phone.received(REPORTER, "INFO", event_id="evt-1").status_code == 204
    assert len(inbound(services)) == 1
    assert phone.received(REPORTER, "INFO", event_id="evt-2").status_code == 204
    rows = inbound(services)
    assert [r.provider_message_id for r in rows] == ["evt-1", "evt-2"]
    assert rows[0].meta["phone_message_id"] == rows[1].meta["phone_message_id"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[]", "missing field 'event'"),
        (json.dumps({"event": "sms:received", "id": "x", "payload": []}).encode(), "not an object"),
        (
            json.dumps(
                {"event": "sms:received", "payload": {"message": "hi", "phoneNumber": REPORTER}}
            ).encode(),
            "missing field 'id'",
        ),
        (
            json.dumps(
                {"event": "sms:received", "id": "x", "payload": {"phoneNumber": REPORTER}}
            ).encode(),
            "missing field 'message'",
        ),
        (
            json.dumps({"event": "sms:received", "id": "x", "payload": {"message": "hi"}}).encode(),
            "missing field 'sender'",
        ),
        (
            json.dumps({"event": "sms:failed", "id": "x", "payload": {"reason": "x"}}).encode(),
            "missing field 'messageId'",
        ),
        (
            json.dumps(
                {"event": "sms:sent", "id": "x", "payload": {"messageId": "a\x00"}}
            ).encode(),
            "field 'messageId' holds a NUL character",
        ),
    ],
)
def test_malformed_but_signed_is_400(phone, services, body, message):
    response = phone.post("", {}, body=body)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert inbound(services) == []


def test_unknown_events_are_acknowledged_and_ignored(phone, services):
    for event in ("sms:data-received", "mms:received", "app:started", "sms:batch:received"):
        assert phone.post(event, {"whatever": 1}).status_code == 204
    assert inbound(services) == []


def test_the_networks_own_senders_are_ignored(phone, services):
    """Operator texts come from names ("TELKOMSEL"): acknowledged, so not retried for days."""
    assert phone.received("TELKOMSEL", "Kuota Anda tinggal 10%").status_code == 204
    assert inbound(services) == []


def test_a_delivery_for_an_unknown_id_is_retried_only_while_recent(phone):
    """A report may overtake the send's answer: a recent unknown id is 409 (the phone tries
    again), an old one is acknowledged."""
    assert (
        phone.delivery("sms:failed", "nope", REPORTER, "RESULT_ERROR_GENERIC_FAILURE").status_code
        == 409
    )
    old = "2026-01-01T10:00:00.000+07:00"
    assert phone.delivery("sms:failed", "nope", REPORTER, "x", at=old).status_code == 204
    skewed = "2099-01-01T10:00:00.000+07:00"  # a phone whose clock is far off is not retried
    assert phone.delivery("sms:failed", "nope", REPORTER, "x", at=skewed).status_code == 204


def test_any_signed_event_marks_the_phone_seen_and_pings_count_once(phone, services):
    assert phone.ping(event_id="ping-1").status_code == 204
    assert phone.ping(event_id="ping-1").status_code == 204  # the phone retried it
    assert phone.ping(event_id="ping-2", status="warn").status_code == 204
    assert (
        phone.delivery("sms:sent", "unknown", REPORTER, at="2026-01-01T10:00:00+07:00").status_code
        == 204
    )
    state = android.last_seen(services)
    assert state["pings"] == 2 and state["device"] == DEVICE_ID and state["health"] == "warn"
    assert abs(state["at"].timestamp() - time.time()) < 5


def test_redis_away_does_not_lose_the_message(phone, services, monkeypatch):
    """The message is stored first; the phone's state is best effort."""

    def down(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(services.redis, "hset", down)
    assert phone.received(REPORTER, "LAPOR").status_code == 204
    assert len(inbound(services)) == 1


def test_a_delivery_event_we_do_not_know_is_kept_raw_and_moves_nothing(
    phone, services, sms_jobs, fake_phone, caplog
):
    """`sms:cancelled` (in the app's current docs, not in our table) for a delivered reply: 204,
    so the phone does not retry it for two days; the reply stays delivered; one warning."""
    assert phone.received(REPORTER, "INFO").status_code == 204
    sms_jobs.run()
    sent = fake_phone.sent[-1]["id"]
    assert phone.delivery("sms:delivered", sent, REPORTER).status_code == 204
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            assert phone.post("sms:cancelled", {"messageId": sent}).status_code == 204
    with services.db.session() as s:
        row = s.scalars(select(Message).where(Message.direction == "out")).one()
        assert (row.status, row.provider_status) == ("delivered", "sms:cancelled")
    assert len([r for r in caplog.records if "'sms:cancelled'" in r.getMessage()]) == 1
    # one without a message id is no delivery report: acknowledged and ignored
    assert phone.post("sms:rerouted", {"reason": "x"}).status_code == 204
