"""The coordinators' dashboard: sign-in with a coordinator key, CSRF on every form, figures
that match the statistics, and every case view in the audit trail."""

import re

from sqlalchemy import select

from casebridge import stats
from casebridge.models import Case
from gateway.submit import submit_report
from tests.core.test_intake import report


def csrf_from(client, path="/dashboard/login") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, key):
    return client.post("/dashboard/login", data={"key": key, "csrf_token": csrf_from(client)})


def test_dashboard_needs_sign_in(client):
    resp = client.get("/dashboard/")
    assert resp.status_code == 302 and "/dashboard/login" in resp.headers["Location"]


def test_coordinator_signs_in_sees_figures_and_signs_out(client, services, api_key, jobs):
    for i, country in enumerate(["MY", "HK", "HK"]):
        submit_report(services, f"k{i}", report(reporter_phone=f"+62812345678{i}", country=country))
    jobs.run()
    key = api_key("KOORD")
    resp = sign_in(client, key)
    assert resp.status_code == 302
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
    assert client.post("/dashboard/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_wrong_or_non_coordinator_key_is_refused(client, api_key):
    assert sign_in(client, "pgd_nonsense").status_code == 401
    assert sign_in(client, api_key("SBMI-BWI")).status_code == 401
    assert client.get("/dashboard/").status_code == 302


def test_forms_without_csrf_token_are_refused(client, api_key):
    resp = client.post("/dashboard/login", data={"key": api_key("KOORD")})
    assert resp.status_code == 400
    assert client.get("/dashboard/").status_code == 302


def test_case_list_filters_and_case_page_is_audited(client, services, api_key, jobs):
    submit_report(services, "a", report(reporter_phone="+6281234567801", country="MY"))
    submit_report(services, "b", report(reporter_phone="+6281234567802", country="HK"))
    jobs.run()
    sign_in(client, api_key("KOORD"))
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
        assert events[-1].kind == "read" and events[-1].actor == "org:KOORD"
    assert client.get("/dashboard/cases/1234-5678").status_code == 404


def test_simulator_is_off_unless_enabled(client):
    assert client.get("/simulator").status_code == 404
    home = client.get("/")
    assert home.status_code == 200 and "/simulator" not in home.get_data(as_text=True)
