"""The SMS webhooks: AT's token, bad input answered 400 (never 500), persist before acknowledge."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fakes.plugin import AT_TOKEN
from fakes.webhooks import at_delivery, at_sms, twilio_sms
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import select

from casebridge.models import Message

FORM = {"from": "+60129876543", "to": "20880", "text": "LAPOR", "id": "ATXid_1", "date": "x"}


def at_post(client, form, token=AT_TOKEN, path="/sms/africastalking"):
    query = f"?{urlencode({'token': token})}" if token is not None else ""
    return client.post(path + query, data=form)


def inbound(services) -> list[Message]:
    with services.db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "in")))


@pytest.mark.parametrize("token", [None, "", "wrong", AT_TOKEN + "x"])
def test_at_webhooks_need_the_token(client, services, token):
    assert at_post(client, FORM, token).status_code == 403
    assert (
        at_post(
            client, {"id": "x", "status": "Success"}, token, "/sms/africastalking/delivery"
        ).status_code
        == 403
    )
    assert inbound(services) == []


def test_at_incoming_is_stored_and_answered_empty(client, services):
    response = at_post(client, FORM)
    assert response.status_code == 200 and response.data == b""
    [row] = inbound(services)
    assert (row.provider, row.dedupe_key, row.phone, row.our_number, row.body) == (
        "africastalking",
        "africastalking:ATXid_1",
        "+60129876543",
        "20880",
        "LAPOR",
    )
    assert row.meta == {"date": "x"}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({k: v for k, v in FORM.items() if k != "from"}, "missing field 'from'"),
        ({k: v for k, v in FORM.items() if k != "id"}, "missing field 'id'"),
        ({k: v for k, v in FORM.items() if k != "text"}, "missing field 'text'"),
        ({**FORM, "from": "not a number"}, "not a valid phone number"),
        ({**FORM, "from": "12"}, "not a valid phone number"),
    ],
)
def test_at_bad_incoming_is_a_400(client, services, form, message):
    response = at_post(client, form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert inbound(services) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"status": "Success"}, "missing field 'id'"),
        ({"id": "ATXid_1"}, "missing field 'status'"),
    ],
)
def test_at_bad_delivery_report_is_a_400(client, form, message):
    response = at_post(client, form, path="/sms/africastalking/delivery")
    assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "form", "field"),
    [
        ("/sms/africastalking/delivery", {"id": "\x00", "status": "Success"}, "id"),
        ("/sms/africastalking/delivery", {"id": "ATXid_1", "status": "Sent\x00"}, "status"),
        ("/sms/africastalking", {**FORM, "id": "ATXid_\x00"}, "id"),
    ],
)
def test_a_nul_character_is_a_400_not_a_500(client, services, path, form, field):
    """No database text column takes NUL: refused with a clear answer before any query."""
    response = at_post(client, form, path=path)
    assert response.status_code == 400
    assert f"field {field!r} holds a NUL character" in response.get_data(as_text=True)
    assert inbound(services) == []


def test_a_nul_in_a_twilio_status_callback_is_a_400(client):
    from fakes.webhooks import twilio_status

    response = twilio_status(client, "SM\x00", "delivered")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)


def test_a_delivery_report_for_a_message_we_never_sent_is_ignored(client):
    assert at_delivery(client, "ATXid_unknown", "Success").status_code == 200


@pytest.mark.parametrize("missing", ["MessageSid", "From", "Body"])
def test_twilio_bad_incoming_is_a_400(client, services, missing):
    from fakes.webhooks import post_twilio

    params = {"MessageSid": "SM" + "d" * 32, "From": "+85251234568", "To": "+1", "Body": "x"}
    del params[missing]
    response = post_twilio(client, "/sms/twilio", params)
    assert response.status_code == 400 and missing in response.get_data(as_text=True)
    assert inbound(services) == []


def test_redis_down_the_message_is_kept_and_swept_later(client, services, sms_jobs, monkeypatch):
    """Persist before acknowledge: with Redis away the webhook still answers 200, the row waits,
    and the sweeper hands it to a worker once Redis is back."""
    from rq import Queue

    def refuse(*args, **kwargs):
        raise RedisConnectionError("Redis is down")

    with monkeypatch.context() as m:
        m.setattr(Queue, "enqueue", refuse)
        assert at_sms(client, "+60129876543", "20880", "LAPOR gaji di Malaysia").status_code == 200
    [row] = inbound(services)
    assert row.status == "received"
    sms_jobs.run()
    assert inbound(services)[0].status == "received"  # nothing was enqueued

    import time_machine

    with time_machine.travel(row.created_at.timestamp() + 120, tick=False):
        sms_jobs.tick()
        sms_jobs.run()
    assert inbound(services)[0].status == "done"


def test_twilio_answers_twiml_even_for_a_duplicate(client, services):
    first = twilio_sms(client, "+85251234568", "+85258001234", "halo", sid="SM" + "e" * 32)
    again = twilio_sms(client, "+85251234568", "+85258001234", "halo", sid="SM" + "e" * 32)
    for response in (first, again):
        assert response.status_code == 200 and "<Response />" in response.get_data(as_text=True)
    assert len(inbound(services)) == 1
