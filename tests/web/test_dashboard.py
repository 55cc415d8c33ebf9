"""The coordinators' dashboard: a coordinator account signs in, CSRF on every form, figures
that match the statistics, and every case view in the audit trail under the person's name."""

from sqlalchemy import select

from casebridge import stats
from casebridge.models import Case, Role
from gateway.submit import submit_report
from tests.core.test_intake import report
from tests.people import csrf_from, log_in, make_person


def sign_in(client, services, code="KOORD", role=Role.COORDINATOR):
    """Sign in through the real form as a new person of `code` (a coordinator of KOORD)."""
    return log_in(client, make_person(services, code, role), next_="/dashboard/")


def test_dashboard_needs_sign_in(client):
    resp = client.get("/dashboard/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")
    old = client.get("/dashboard/login")  # the old address leads to the one sign-in
    assert old.status_code == 302 and old.headers["Location"] == "/login?next=%2Fdashboard%2F"


def test_coordinator_signs_in_sees_figures_and_signs_out(client, services, api_key, jobs, orgs):
    for i, country in enumerate(["MY", "HK", "HK"]):
        submit_report(services, f"k{i}", report(reporter_phone=f"+62812345678{i}", country=country))
    jobs.run()
    key = api_key("KOORD")
    resp = sign_in(client, services)
    assert resp.status_code == 302 and resp.headers["Location"] == "/dashboard/"
    page = client.get("/dashboard/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="id">' in html
    api = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {key}"}).get_json()
    with services.db.session() as s:
        figures = stats.compute(s, select(Case))
    assert api["total"] == figures["total"] == 3
    assert f'id="all-total">{api["total"]}<' in html
    assert f'id="overdue-total">{api["overdue"]}<' in html
    names = {"HK": "Hong Kong", "MY": "Malaysia"}
    for country, count in api["by_country"].items():  # the bars carry the same numbers
        assert f'<th scope="row">{names[country]}</th><td>{count}</td>' in html
    assert "Hong Kong" in html and "<svg" in html
    token = csrf_from(client, "/dashboard/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_an_api_key_no_longer_signs_in_and_others_get_403(client, services, api_key, orgs):
    token = csrf_from(client, "/login")
    resp = client.post("/login", data={"key": api_key("KOORD"), "csrf_token": token})
    assert resp.status_code == 401
    assert client.get("/dashboard/").status_code == 302
    assert sign_in(client, services, "SBMI-BWI", Role.ORG_ADMIN).status_code == 302
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/cases").status_code == 403


def test_forms_without_csrf_token_are_refused(client, services, orgs):
    user = make_person(services, "KOORD", Role.COORDINATOR)
    client.get("/login")
    resp = client.post("/login", data={"email": user.email, "password": "x" * 20})
    assert resp.status_code == 400
    assert client.get("/dashboard/").status_code == 302


def test_case_list_filters_and_case_page_is_audited(client, services, api_key, jobs, orgs):
    submit_report(services, "a", report(reporter_phone="+6281234567801", country="MY"))
    submit_report(services, "b", report(reporter_phone="+6281234567802", country="HK"))
    jobs.run()
    sign_in(client, services)
    listing = client.get("/dashboard/cases?country=HK").get_data(as_text=True)
    with services.db.session() as s:
        hk = s.scalars(select(Case).join(Case.worker).where(Case.worker.has(country="HK"))).one()
        my = s.scalars(select(Case).join(Case.worker).where(Case.worker.has(country="MY"))).one()
    ref_hk = f"{hk.reference[:4]}-{hk.reference[4:]}"
    assert ref_hk in listing and f"{my.reference[:4]}-{my.reference[4:]}" not in listing
    page = client.get(f"/dashboard/cases/{hk.reference}?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="en">' in html and "Timeline" in html
    assert "+6281234567802" not in html  # phones are masked
    with services.db.session() as s:
        events = s.get(Case, hk.id).events
        assert events[-1].kind == "read" and events[-1].actor.startswith("person:")
    assert client.get("/dashboard/cases/1234-5678").status_code == 404


def test_simulator_is_off_unless_enabled(client):
    assert client.get("/simulator").status_code == 404
    home = client.get("/")
    assert home.status_code == 200 and "/simulator" not in home.get_data(as_text=True)
