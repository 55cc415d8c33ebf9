"""GET/POST /whatsapp/meta: Meta's subscription check, the signature (403 changing nothing),
one message however often Meta retries it, types we do not read recorded as unsupported,
malformed bodies 400, and statuses moving the outbox."""

from __future__ import annotations

import json

import pytest
from fakes import meta_webhooks
from fakes.plugin import WHATSAPP_VERIFY_TOKEN
from sqlalchemy import func, select

from casebridge.models import Attachment, Message
from gateway.providers.whatsapp import sign, signature_ok

PHONE = "+60129876543"


def count(services, model=Message) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        (
            {
                "hub.mode": "subscribe",
                "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
                "hub.challenge": "1158201444",
            },
            200,
            "1158201444",
        ),
        (
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
            403,
            "forbidden\n",
        ),
        (
            {
                "hub.mode": "unsubscribe",
                "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
                "hub.challenge": "1",
            },
            403,
            "forbidden\n",
        ),
        ({"hub.challenge": "1"}, 403, "forbidden\n"),
    ],
)
def test_verification(client, query, status, body):
    answer = client.get("/whatsapp/meta", query_string=query)
    assert (answer.status_code, answer.get_data(as_text=True)) == (status, body)
    if status == 200:
        assert answer.mimetype == "text/plain"


@pytest.mark.parametrize("settings_overrides", [{"whatsapp_verify_token": None}])
def test_verification_refused_while_the_token_is_unset(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    assert client.get("/whatsapp/meta", query_string=query).status_code == 403


def test_the_signature_helper():
    body = b'{"object":"whatsapp_business_account"}'
    header = sign("secret", body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert signature_ok("secret", body, header)
    assert not signature_ok("secret", body + b" ", header)
    assert not signature_ok("other", body, header)
    assert not signature_ok("secret", body, header.removeprefix("sha256="))
    assert not signature_ok("secret", body, None)


@pytest.mark.parametrize(
    "signature",
    ["sha256=" + "0" * 64, "", "sha1=abc", None],
    ids=["wrong", "empty", "sha1", "missing"],
)
def test_a_bad_signature_changes_nothing(client, services, sms_jobs, fake_graph, signature):
    value = meta_webhooks.text(PHONE, "LAPOR gaji belum dibayar")
    if signature is None:
        answer = meta_webhooks.post(client, value, secret=None)
    else:
        answer = meta_webhooks.post(client, value, signature=signature)
    assert answer.status_code == 403
    sms_jobs.run()
    assert count(services) == 0 and fake_graph.sent == []


def test_a_replayed_message_makes_nothing_twice(client, services, sms_jobs, fake_graph):
    value = meta_webhooks.text(PHONE, "INFO", message_id="wamid.HBgLNjAxMjk4NzY1NDMVAgARGBI")
    for _ in range(3):
        assert meta_webhooks.post(client, value).status_code == 200
    sms_jobs.run()
    assert count(services) == 2  # the message in, one reply out
    assert len(fake_graph.sent) == 1 and "BP2MI" in fake_graph.sent[0]["payload"]["text"]["body"]


@pytest.mark.parametrize("kind", ["sticker", "location", "reaction", "unsupported"])
def test_other_types_are_acknowledged_and_recorded(client, services, sms_jobs, fake_graph, kind):
    content = {"latitude": 3.1, "longitude": 101.6} if kind == "location" else {"id": "x"}
    answer = meta_webhooks.post(client, meta_webhooks.message(PHONE, kind, content))
    assert answer.status_code == 200
    sms_jobs.run()
    with services.db.session() as session:
        row = session.scalars(select(Message)).one()
        assert (row.status, row.meta["unsupported"]) == ("done", kind)
    assert fake_graph.sent == [] and count(services, Attachment) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"entry": 3}',
        json.dumps(meta_webhooks.envelope({"messages": [{"type": "text"}]})).encode(),
    ],
    ids=["not json", "a list", "entry not a list", "message without id"],
)
def test_malformed_bodies_are_400(client, services, body):
    headers = {"X-Hub-Signature-256": sign(meta_webhooks.WHATSAPP_APP_SECRET, body)}
    answer = client.post("/whatsapp/meta", data=body, headers=headers)
    assert answer.status_code == 400
    assert count(services) == 0


def test_interactive_reply_reads_as_its_number(client, services, sms_jobs):
    value = meta_webhooks.reply(PHONE, "2", "Suami/istri", "list_reply")
    assert meta_webhooks.post(client, value).status_code == 200
    with services.db.session() as session:
        row = session.scalars(select(Message)).one()
        assert (row.body, row.meta["title"], row.provider) == ("2", "Suami/istri", "whatsapp")


def test_statuses_move_the_outbox(client, services, sms_jobs, fake_graph):
    meta_webhooks.post(client, meta_webhooks.text(PHONE, "INFO"))
    sms_jobs.run()
    wamid = fake_graph.sent[0]["id"]
    for word, expected in (("sent", "sent"), ("delivered", "delivered"), ("read", "delivered")):
        assert (
            meta_webhooks.post(client, meta_webhooks.status(wamid, PHONE, word)).status_code == 200
        )
        with services.db.session() as session:
            row = session.scalars(select(Message).where(Message.direction == "out")).one()
            assert (row.status, row.provider_status) == (expected, word)


def test_a_retryable_error_sends_again(client, services, sms_jobs, fake_graph):
    meta_webhooks.post(client, meta_webhooks.text(PHONE, "INFO"))
    sms_jobs.run()
    wamid = fake_graph.sent[0]["id"]
    meta_webhooks.post(client, meta_webhooks.status(wamid, PHONE, "failed", code=131000))
    with services.db.session() as session:
        row = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert row.status == "retrying" and "131000" in row.error
