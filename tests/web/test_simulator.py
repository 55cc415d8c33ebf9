"""The simulator's actions reach the real webhooks: a voice report from the page ends as a case
with a recording, and SMS sent from the page get answers in the inbox. Training is safe: only
numbers in the training range and caseworkers of training organisations, a coordinator's
sign-in outside demo mode, and its cases out of statistics and exports."""

import re

import pytest
from sqlalchemy import select

from casebridge import directory
from casebridge.messaging import OutboundSms
from casebridge.models import Case, Role
from gateway.providers.registry import build_senders
from tests.conftest import make_settings
from tests.people import log_in, make_person
from tests.web.test_dashboard import sign_in

REPORTER = "+6289900000101"
SITI = "+6289900000002"  # SBMI-BWI's caseworker in the demo directory (a training organisation)
REAL_PHONE = "+6281234567891"
DEMO = pytest.mark.parametrize("settings_overrides", [{"demo": True}])


@pytest.fixture
def settings_overrides():
    return {"simulator_enabled": True}


@pytest.fixture
def coordinator(client, services, orgs):
    assert sign_in(client, services).status_code == 302
    return client


def _token(client) -> str:
    html = client.get("/simulator").get_data(as_text=True)
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


@pytest.fixture
def page(coordinator):
    token = _token(coordinator)

    def post(path, body, status=200):
        resp = coordinator.post(path, json=body, headers={"X-CSRF-Token": token})
        assert resp.status_code == status, resp.get_data(as_text=True)
        return resp.get_json()

    return post


def test_the_page_lists_training_caseworkers_and_numbers(coordinator):
    html = coordinator.get("/simulator").get_data(as_text=True)
    assert SITI in html and "SBMI-BWI" in html and REPORTER in html
    numbers = set(re.findall(r"\+\d{8,15}", html))
    assert numbers and all(n.startswith("+62899") for n in numbers), numbers


def test_without_sign_in_nothing_is_read_or_sent(client, orgs):
    page = client.get("/simulator")
    assert page.status_code == 302 and page.headers["Location"] == "/login?next=%2Fsimulator"
    inbox = client.get(f"/simulator/api/inbox?phone=%2B{REPORTER[1:]}")
    assert inbox.status_code == 401 and inbox.get_json()["error"] == "sign_in_required"
    for path in ("/simulator/api/sms", "/simulator/api/ussd", "/simulator/api/call"):
        resp = client.post(path, json={"phone": REPORTER, "text": "LAPOR"})
        assert resp.status_code == 401, path


def test_signing_in_leads_back_to_the_simulator(client, services, orgs):
    login = client.get("/simulator").headers["Location"]
    html = client.get(login).get_data(as_text=True)
    assert 'name="next" value="/simulator"' in html
    user = make_person(services, "KOORD", Role.COORDINATOR)
    resp = log_in(client, user, next_="/simulator")
    assert resp.status_code == 302 and resp.headers["Location"] == "/simulator"
    assert client.get("/simulator").status_code == 200


def test_only_a_coordinator_may_use_it(client, services, sign_in_as, orgs):
    sign_in_as(make_person(services, "SBMI-BWI", Role.ORG_ADMIN))
    assert client.get("/simulator").status_code == 403
    assert client.get("/simulator/api/inbox?phone=%2B6289900000101").status_code == 403


@DEMO
def test_demo_mode_needs_no_sign_in(client, orgs, jobs):
    token = _token(client)
    sent = client.post(
        "/simulator/api/sms",
        json={"phone": REPORTER, "text": "INFO"},
        headers={"X-CSRF-Token": token},
    )
    assert sent.status_code == 200
    jobs.run()
    assert client.get(f"/simulator/api/inbox?phone=%2B{REPORTER[1:]}").get_json()["messages"]


@DEMO
@pytest.mark.parametrize(
    "path", ["/simulator/api/sms", "/simulator/api/ussd", "/simulator/api/call"]
)
def test_a_number_outside_the_training_range_is_refused_even_in_demo(client, orgs, path):
    token = _token(client)
    resp = client.post(
        path,
        json={"phone": REAL_PHONE, "text": "LAPOR"},
        headers={"X-CSRF-Token": token, "Accept": "application/json"},
    )
    assert resp.status_code == 403 and "+62899" in resp.get_json()["message"]
    assert client.get(f"/simulator/api/inbox?phone=%2B{REAL_PHONE[1:]}").status_code == 403


@DEMO
def test_a_caseworker_of_an_organisation_not_in_training_is_refused(client, services):
    with services.db.session() as s:
        directory.apply(
            s,
            directory.parse_text(
                """
organisations:
  - {code: KOORD, name: Koordinator, kind: coordinator, training: true,
     caseworkers: [{name: Rina, phone: "+6289900000001"}]}
  - {code: REAL, name: Real NGO, public_name: Pos Migran, kind: ngo,
     caseworkers: [{name: Budi, phone: "+6289900000050"}]}
"""
            ),
        )
    html = client.get("/simulator").get_data(as_text=True)
    assert "+6289900000001" in html and "+6289900000050" not in html
    token = _token(client)
    resp = client.post(
        "/simulator/api/sms",
        json={"phone": "+6289900000050", "text": "TERIMA 1234-5678"},
        headers={"X-CSRF-Token": token, "Accept": "application/json"},
    )
    assert resp.status_code == 403 and "REAL" in resp.get_json()["message"]
    assert client.get("/simulator/api/inbox?phone=%2B6289900000050").status_code == 403


def test_actions_without_the_csrf_token_are_refused(coordinator):
    coordinator.get("/simulator")
    resp = coordinator.post("/simulator/api/sms", json={"phone": REPORTER, "text": "LAPOR"})
    assert resp.status_code == 400


def test_a_voice_report_from_the_page_is_a_training_case(
    page, coordinator, services, jobs, api_key
):
    step = page("/simulator/api/call", {"phone": REPORTER})
    assert step["expect"] == "digits" and any("tekan 1" in p for p in step["prompts"])
    for _ in range(12):  # press 1 until the line asks for the recording
        if step["expect"] != "digits":
            break
        step = page(
            "/simulator/api/call",
            {"phone": REPORTER, "call": step["call"], "action": step["action"], "digits": "1"},
        )
    assert step["expect"] == "record", step
    step = page(
        "/simulator/api/call",
        {"phone": REPORTER, "call": step["call"], "action": step["action"], "recording": "gaji"},
    )
    spoken = " ".join(step["prompts"])
    assert re.search(r"\d \d \d \d, \d \d \d \d", spoken), spoken
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.channel == "voice" and case.recording_url.startswith("https://simulator.")
        assert case.training
    auth = {"Authorization": f"Bearer {api_key('KOORD')}"}
    assert coordinator.get("/api/v1/stats", headers=auth).get_json()["total"] == 0
    exported = coordinator.get("/api/v1/export?format=json", headers=auth)
    assert exported.status_code == 200 and case.reference not in exported.get_data(as_text=True)
    dashboard = coordinator.get("/dashboard/").get_data(as_text=True)
    assert 'id="all-total">0<' in dashboard


def test_sms_from_the_page_is_answered_in_its_inbox(page, coordinator, jobs):
    page("/simulator/api/sms", {"phone": REPORTER, "text": "LAPOR gaji belum dibayar"})
    jobs.run()
    inbox = coordinator.get(f"/simulator/api/inbox?phone=%2B{REPORTER[1:]}").get_json()
    assert inbox["messages"] and "Di negara mana" in inbox["messages"][0]["body"]


def test_bad_phone_is_a_clear_400(page):
    page("/simulator/api/ussd", {"phone": "abc", "text": ""}, status=400)


def test_with_real_credentials_training_numbers_get_no_real_sms(tmp_path, database_url, redis_url):
    """The provider's API is never called for the training range (it is not even reachable)."""
    settings = make_settings(
        database_url,
        redis_url,
        tmp_path,
        simulator_enabled=True,
        at_username="sandbox",
        at_api_key="key-of-a-real-account",
        at_api_url="http://127.0.0.1:9/unreachable",
    )
    sender = build_senders(settings)["africastalking"]
    result = sender.send(OutboundSms(1, REPORTER, "Laporan Anda diterima", None, {}))
    assert result.status == "delivered" and result.provider_message_id.startswith("SIM")
