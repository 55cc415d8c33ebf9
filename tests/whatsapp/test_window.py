"""WhatsApp's messaging window: free text within WHATSAPP_SESSION_HOURS of the person's last
message; after it only the neutral template with the case reference, the real update held
until they write; with no template nothing leaves, and the timeline says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes import meta_webhooks, webhooks
from fakes.plugin import WHATSAPP_TEMPLATE
from sqlalchemy import select

from casebridge.models import Message
from tests.conftest import phone_index

from .helpers import CASEWORKER, PHONE, events, report, say, texts_to

UPDATE = "Kami sudah hubungi agen Anda"


def caseworker(client, jobs, clock, text: str) -> None:
    clock.shift(30)
    answer = webhooks.at_sms(client, CASEWORKER, "20880", text)
    assert answer.status_code == 200
    jobs.run()


def silence(services, hours: int = 25) -> None:
    """The person last wrote `hours` ago."""
    with services.db.session() as session:
        for message in session.scalars(
            select(Message).where(
                Message.direction == "in", Message.phone_index == phone_index(PHONE)
            )
        ):
            message.created_at -= timedelta(hours=hours)


def test_inside_the_window_free_text(client, services, sms_jobs, orgs, fake_graph, clock):
    ref = report(client, sms_jobs, clock)
    caseworker(client, sms_jobs, clock, f"TERIMA {ref}")
    caseworker(client, sms_jobs, clock, f"UPDATE {ref} {UPDATE}")
    last = fake_graph.sent[-1]["payload"]
    assert last["type"] == "text" and UPDATE in last["text"]["body"]


def test_outside_the_window_the_template_then_the_update(
    client, services, sms_jobs, orgs, fake_graph, clock
):
    ref = report(client, sms_jobs, clock)
    caseworker(client, sms_jobs, clock, f"TERIMA {ref}")
    silence(services)
    before = len(fake_graph.sent)
    caseworker(client, sms_jobs, clock, f"UPDATE {ref} {UPDATE}")
    sent = fake_graph.sent[before:]
    assert len(sent) == 1
    template = sent[0]["payload"]
    assert template["type"] == "template"
    assert template["template"]["name"] == WHATSAPP_TEMPLATE
    assert template["template"]["components"] == [
        {"type": "body", "parameters": [{"type": "text", "text": ref}]}
    ]
    assert UPDATE not in str(template) and "SBMI" not in str(template)
    assert any(kind == "message_held" for kind, _ in events(services, ref))
    with services.db.session() as session:
        held = session.scalars(select(Message).where(Message.status == "held")).one()
        assert UPDATE in held.body

    say(client, sms_jobs, meta_webhooks.text(PHONE, "Ada kabar?"), clock)
    after = texts_to(fake_graph)[-3:]
    assert any(UPDATE in t for t in after), after
    with services.db.session() as session:
        assert session.scalar(select(Message.id).where(Message.status == "held")) is None


def test_a_second_update_in_the_silence_sends_no_second_template(
    client, services, sms_jobs, orgs, fake_graph, clock
):
    ref = report(client, sms_jobs, clock)
    silence(services)
    before = len(fake_graph.sent)
    caseworker(client, sms_jobs, clock, f"TERIMA {ref}")
    caseworker(client, sms_jobs, clock, f"UPDATE {ref} {UPDATE}")
    kinds = [m["payload"]["type"] for m in fake_graph.sent[before:]]
    assert kinds == ["template"]


@pytest.fixture
def settings_overrides(request, whatsapp_settings) -> dict:
    return {**whatsapp_settings, **getattr(request, "param", {})}


@pytest.mark.parametrize("settings_overrides", [{"whatsapp_template_status": None}], indirect=True)
def test_no_template_nothing_leaves_and_the_timeline_says_so(
    client, services, sms_jobs, orgs, fake_graph, clock, settings_overrides
):
    ref = report(client, sms_jobs, clock)
    caseworker(client, sms_jobs, clock, f"TERIMA {ref}")
    silence(services)
    before = len(fake_graph.sent)
    caseworker(client, sms_jobs, clock, f"UPDATE {ref} {UPDATE}")
    assert fake_graph.sent[before:] == []
    held = [note for kind, note in events(services, ref) if kind == "message_held"]
    assert held and "WHATSAPP_TEMPLATE_STATUS" in held[-1]


def test_meta_refuses_as_outside_the_window(client, services, sms_jobs, orgs, fake_graph, clock):
    """Our clock said inside, Meta says 131047: the message is held, the template sent."""
    ref = report(client, sms_jobs, clock)
    fake_graph.errors[PHONE.lstrip("+")] = 131047
    before = len(fake_graph.sent)
    caseworker(client, sms_jobs, clock, f"TERIMA {ref}")
    assert [m["payload"]["type"] for m in fake_graph.sent[before:]] == ["template"]
    with services.db.session() as session:
        held = session.scalars(select(Message).where(Message.status == "held")).one()
        template = session.scalars(select(Message).where(Message.purpose == "wa_template")).one()
        assert held.case_id == template.case_id and template.status == "sent"
    fake_graph.errors.clear()
    say(client, sms_jobs, meta_webhooks.text(PHONE, "ya?"), clock)
    assert any("diterima" in t for t in texts_to(fake_graph)[-3:])
