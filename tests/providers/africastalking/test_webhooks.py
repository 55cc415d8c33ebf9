"""The AT SMS webhooks: the token, bad input answered 400 (never 500), incoming stored."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fakes.plugin import AT_TOKEN
from fakes.webhooks import at_delivery

from ..messages import inbound

FORM = {"from": "+60129876543", "to": "20880", "text": "LAPOR", "id": "ATXid_1", "date": "x"}


def at_post(client, form, token=AT_TOKEN, path="/sms/africastalking"):
    query = f"?{urlencode({'token': token})}" if token is not None else ""
    return client.post(path + query, data=form)


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


def test_a_delivery_report_for_a_message_we_never_sent_is_ignored(client):
    assert at_delivery(client, "ATXid_unknown", "Success").status_code == 200
