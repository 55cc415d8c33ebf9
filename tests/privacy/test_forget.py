"""`pengaduan forget REF --by EMAIL`: a case's personal data removed now at its reporter's
request, under the name of a coordinator or the holding organisation's admin; clear refusals
that change nothing; gone from the API, the exports and the case page, which still renders."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.webhooks import at_sms

from casebridge import audit, refs, retention
from casebridge.models import Message, Role, utcnow
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_SECRET
from tests.forwarding.cases import REPORTER_PHONE, WORKER_PHONE, load_case
from tests.people import make_person
from tests.privacy.test_retention import DESCRIPTION, auth, worked_case
from tests.providers.messages import reply_to


@pytest.fixture
def run(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "INSTANCE_PATH": str(services.settings.instance_dir),
    }

    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), env=env, input=input)

    return invoke


@pytest.fixture
def open_case(client, services, jobs, orgs, api_key) -> str:
    """SBMI-BWI's accepted case, worked but still open: the reporter asks to be forgotten."""
    return refs.format_ref(worked_case(client, services, jobs, api_key, close=False))


@pytest.fixture
def coordinator(services, orgs):
    return make_person(services, "KOORD", Role.COORDINATOR, name="Dewi Koordinator")


def _events(services, ref: str):
    with services.db.session() as s:
        return [(e.kind, e.actor, e.at, e.data) for e in load_case(s, ref.replace("-", "")).events]


def test_forget_removes_it_now_under_the_persons_name(run, services, open_case, coordinator):
    before = utcnow()
    result = run("forget", open_case, "--by", coordinator.email.upper(), "--yes")
    assert result.exit_code == 0, result.output
    assert f"case {open_case}: personal data removed" in result.output
    assert "by Dewi Koordinator" in result.output
    assert "1 party" in result.output and "the reporter's name and phone are gone" in result.output
    assert "the case stays in_progress" in result.output

    [(kind, actor, at, data)] = [
        e for e in _events(services, open_case) if e[0] == "personal_data_removed"
    ]
    assert actor == audit.person(coordinator) and data == {"reason": "request"}
    assert before <= at <= utcnow()
    with services.db.session() as s:
        assert audit.names(s, [actor]) == {actor: "Dewi Koordinator"}
        case = load_case(s, open_case.replace("-", ""))
        assert case.description is None and case.reporter.phone is None
        assert case.personal_data_removed_at == at and case.status == "in_progress"


def test_the_api_and_the_exports_no_longer_show_it(
    run, client, services, open_case, coordinator, api_key, tmp_path
):
    key = api_key("SBMI-BWI")
    shown = client.get(f"/api/v1/cases/{open_case}", headers=auth(key)).get_json()
    assert shown["description"] == DESCRIPTION and shown["parties"]
    assert run("forget", open_case, "--by", coordinator.email, "--yes").exit_code == 0

    shown = client.get(f"/api/v1/cases/{open_case}", headers=auth(key)).get_json()
    assert shown["description"] is None and shown["recording_url"] is None
    assert shown["reporter"]["phone"] is None and shown["reporter"]["name"] is None
    assert shown["worker"]["name"] is None and shown["worker"]["phone"] is None
    assert shown["worker"]["country"] == "MY" and shown["category"] == "unpaid_wages"
    assert shown["parties"] == [] and shown["attachments"] == []
    assert all(not r["reason"] for r in shown["referrals"])
    assert all(e["note"] is None for e in shown["timeline"])
    assert shown["timeline"][-1]["kind"] == "personal_data_removed"

    out = tmp_path / "cases.json"
    exported = run("export", "--format", "json", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    text = out.read_text()
    [case] = json.loads(text)["cases"]
    assert case["reference"] == open_case and case["description"] is None
    for personal in (DESCRIPTION, REPORTER_PHONE, WORKER_PHONE, "Wati", "Maju Jaya", "Sri"):
        assert personal not in text, personal
    csv_out = tmp_path / "cases.csv"
    assert run("export", "--format", "csv", "-o", str(csv_out)).exit_code == 0
    assert REPORTER_PHONE not in csv_out.read_text() and "Wati" not in csv_out.read_text()


def test_the_case_page_of_a_forgotten_case_renders(run, client, services, open_case, sign_in_as):
    admin = make_person(services, "SBMI-BWI", Role.ORG_ADMIN, name="Rina Admin")
    assert run("forget", open_case, "--by", admin.email, "--yes").exit_code == 0
    sign_in_as(admin)
    page = client.get(f"/cases/{open_case}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Data pribadi dihapus" in html and 'id="personal-data-removed"' in html
    timeline = html.split('id="timeline"')[1].split('id="audit"')[0]
    assert "Data pribadi dihapus" in timeline and "Rina Admin" in timeline  # who ordered it
    for personal in (DESCRIPTION, "Wati", "Maju Jaya", "Sri", "menahan paspor"):
        assert personal not in html, personal


def test_idempotent(run, services, open_case, coordinator):
    assert run("forget", open_case, "--by", coordinator.email, "--yes").exit_code == 0
    events = _events(services, open_case)
    again = run("forget", open_case, "--by", coordinator.email, "--yes")
    assert again.exit_code == 0 and "already removed" in again.output
    assert _events(services, open_case) == events


def test_it_asks_first(run, services, open_case, coordinator):
    declined = run("forget", open_case, "--by", coordinator.email, input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    with services.db.session() as s:
        assert load_case(s, open_case.replace("-", "")).description == DESCRIPTION
    agreed = run("forget", open_case, "--by", coordinator.email, input="y\n")
    assert agreed.exit_code == 0 and "personal data removed" in agreed.output


@pytest.mark.parametrize(
    ("reference", "by", "says"),
    [
        ("0000-0000", "coordinator", "no case 0000-0000"),
        ("1234-5679", "coordinator", "the check digit is wrong"),
        ("halo", "coordinator", "is not a case reference"),
        (None, "nobody@example.org", "no active account for 'nobody@example.org'"),
        (None, "caseworker", "may not order case"),
        (None, "other_admin", "may not order case"),
    ],
)
def test_refusals_change_nothing(run, services, open_case, coordinator, reference, by, says):
    people = {
        "coordinator": coordinator.email,
        "caseworker": make_person(services, "SBMI-BWI").email,
        "other_admin": make_person(services, "SHELTER-HK", Role.ORG_ADMIN).email,
    }
    result = run("forget", reference or open_case, "--by", people.get(by, by), "--yes")
    assert result.exit_code == 1 and says in result.output, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    with services.db.session() as s:
        case = load_case(s, open_case.replace("-", ""))
        assert case.description == DESCRIPTION and case.personal_data_removed_at is None
        assert retention.REMOVED not in [e.kind for e in case.events]


def test_a_disabled_person_may_not(run, services, open_case, coordinator):
    from casebridge import accounts
    from casebridge.models import User

    with services.db.session() as s:
        accounts.disable(s, s.get(User, coordinator.id), lambda _user_id: 0)
    result = run("forget", open_case, "--by", coordinator.email, "--yes")
    assert result.exit_code == 1 and "no active account" in result.output


def test_the_dashboard_and_an_sms_info_still_answer(
    run, client, services, jobs, open_case, coordinator, sign_in_as
):
    assert run("forget", open_case, "--by", coordinator.email, "--yes").exit_code == 0
    sign_in_as(coordinator)
    page = client.get(f"/dashboard/cases/{open_case}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "personal_data_removed" in html and DESCRIPTION not in html and "Wati" not in html

    siti = "+6289900000002"  # SBMI-BWI's caseworker in the directory
    assert at_sms(client, siti, "20880", f"INFO {open_case}").status_code == 200
    jobs.run()
    reply = reply_to(services, siti)
    assert f"Kasus {open_case}" in reply.body and DESCRIPTION not in reply.body
    assert "None" not in reply.body
    with services.db.session() as s:
        assert s.get(Message, reply.id).status != "failed"
