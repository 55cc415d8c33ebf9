"""The simulator's actions reach the real webhooks: a voice report from the page ends as a case
with a recording, and SMS sent from the page get answers in the inbox."""

import re

import pytest
from sqlalchemy import select

from casebridge.models import Case


@pytest.fixture
def settings_overrides():
    return {"simulator_enabled": True}


@pytest.fixture
def page(client, orgs):
    html = client.get("/simulator").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', html).group(1)

    def post(path, body):
        resp = client.post(path, json=body, headers={"X-CSRF-Token": token})
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()

    return post


def test_the_page_lists_the_caseworkers(client, orgs):
    html = client.get("/simulator").get_data(as_text=True)
    assert "+6281234567890" in html and "SBMI-BWI" in html


def test_actions_without_the_csrf_token_are_refused(client, orgs):
    client.get("/simulator")
    resp = client.post("/simulator/api/sms", json={"phone": "+6281234567891", "text": "LAPOR"})
    assert resp.status_code == 400


def test_a_voice_report_from_the_page(page, services, jobs):
    phone = "+6281234567891"
    step = page("/simulator/api/call", {"phone": phone})
    assert step["expect"] == "digits" and any("tekan 1" in p for p in step["prompts"])
    for _ in range(12):  # press 1 until the line asks for the recording
        if step["expect"] != "digits":
            break
        step = page(
            "/simulator/api/call",
            {"phone": phone, "call": step["call"], "action": step["action"], "digits": "1"},
        )
    assert step["expect"] == "record", step
    step = page(
        "/simulator/api/call",
        {"phone": phone, "call": step["call"], "action": step["action"], "recording": "gaji saya"},
    )
    spoken = " ".join(step["prompts"])
    assert re.search(r"\d \d \d \d, \d \d \d \d", spoken), spoken
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.channel == "voice" and case.recording_url.startswith("https://simulator.")


def test_sms_from_the_page_is_answered_in_its_inbox(page, client, jobs):
    page("/simulator/api/sms", {"phone": "+60129876543", "text": "LAPOR gaji belum dibayar"})
    jobs.run()
    inbox = client.get("/simulator/api/inbox?phone=%2B60129876543").get_json()["messages"]
    assert inbox and "Di negara mana" in inbox[0]["body"]


def test_bad_phone_is_a_clear_400(client, orgs):
    html = client.get("/simulator").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', html).group(1)
    resp = client.post(
        "/simulator/api/ussd", json={"phone": "abc", "text": ""}, headers={"X-CSRF-Token": token}
    )
    assert resp.status_code == 400
