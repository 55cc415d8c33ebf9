"""`GET /cases`: what needs doing first, the time left to accept, the org API's filters, the
reference search, pages, and a read on every listed case under the person's name."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from casebridge import actions, audit, sla
from casebridge.models import Case, CaseEvent, Organisation, User
from tests.forwarding.cases import IN_HONG_KONG, file_case
from tests.workspace.signin import make_user, sign_in

ME = "person:{}"


def groups(html: str) -> list[tuple[str, list[str]]]:
    """The inbox's sections in order, each with its references in order."""
    found = []
    for part in html.split('<section class="ws-group" id="group-')[1:]:
        name = part.split('"', 1)[0]
        found.append((name, re.findall(r'data-ref="([\d-]+)"', part)))
    return found


def _do(services, ref: str, code: str, *steps) -> None:
    """Move a case as its organisation would (the domain functions, as the pages call them)."""
    with services.db.session() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))
        org = s.scalar(select(Organisation).where(Organisation.code == code))
        for step in steps:
            step(s, case, org)


def test_the_inbox_puts_what_needs_doing_first(siti, services, jobs, desk):
    offered, unsafe = desk.cases["SBMI-BWI"]
    mine, asking, done = (file_case(services, jobs) for _ in range(3))
    siti_id = desk.users["siti"]

    def take(s, c, o):
        actions.take(s, c, o, "test", s.get(User, siti_id))

    accept = lambda s, c, o: actions.accept(s, c, o, "test")  # noqa: E731
    _do(services, mine, "SBMI-BWI", accept, take)
    _do(services, asking, "SBMI-BWI", accept, lambda s, c, o: actions.need_info(s, c, o, "t", "?"))
    _do(
        services,
        done,
        "SBMI-BWI",
        accept,
        lambda s, c, o: actions.resolve(s, c, o, "t"),
        lambda s, c, o: actions.close(s, c, o, "t"),
    )
    _do(services, unsafe, "SBMI-BWI", accept)
    page = siti.get("/cases")
    assert page.status_code == 200
    fmt = lambda r: f"{r[:4]}-{r[4:]}"  # noqa: E731
    assert groups(page.get_data(as_text=True)) == [
        ("offered", [offered]),
        ("mine", [fmt(mine)]),
        ("needs_info", [fmt(asking)]),
        ("open", [unsafe]),
        ("closed", [fmt(done)]),
    ]
    assert desk.cases["SHELTER-HK"][0] not in page.get_data(as_text=True)


def test_an_offered_case_shows_the_time_left_and_a_passed_deadline(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))
        deadline = sla.accept_by(case, case.organisation)
        assert deadline == case.assigned_at + timedelta(hours=48)
    html = siti.get("/cases").get_data(as_text=True)
    assert "Sisa waktu untuk menerima: 2 hari" in html
    with services.db.session() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))
        case.assigned_at -= timedelta(hours=50)
    html = siti.get("/cases?lang=en").get_data(as_text=True)
    item = html.split(f'data-ref="{ref}"')[1].split("</li>")[0]
    assert "Deadline passed 2 hours ago" in item and "warn-text" in item


def test_filters_and_the_reference_search(siti, services, desk):
    offered, unsafe = desk.cases["SBMI-BWI"]
    _do(services, unsafe, "SBMI-BWI", lambda s, c, o: actions.accept(s, c, o, "test"))

    def refs_of(query: str) -> list[str]:
        resp = siti.get(f"/cases?{query}")
        assert resp.status_code == 200, query
        return sorted(re.findall(r'data-ref="([\d-]+)"', resp.get_data(as_text=True)))

    assert refs_of("status=accepted") == [unsafe]
    assert refs_of("category=unpaid_wages&country=MY&province=ID-JI") == sorted([offered, unsafe])
    assert refs_of("country=HK") == []
    assert refs_of("since=2000-01-01&until=2001-01-01") == []
    assert refs_of(f"q={offered}") == [offered]
    assert refs_of(f"q={offered.replace('-', '')}") == [offered]
    same_start = sorted(r for r in (offered, unsafe) if r[:4] == offered[:4])
    assert refs_of(f"q={offered[:4]}") == same_start
    resp = siti.get("/cases?status=bogus&q=12a")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "status: must be one of" in html and "q: nomor kasus hanya berisi angka" in html


def test_pages(siti, services, jobs, desk):
    for _ in range(2):
        file_case(services, jobs)
    first = siti.get("/cases?per_page=2").get_data(as_text=True)
    second = siti.get("/cases?per_page=2&page=2").get_data(as_text=True)
    third = siti.get("/cases?per_page=2&page=3").get_data(as_text=True)
    shown = [re.findall(r'data-ref="([\d-]+)"', h) for h in (first, second, third)]
    assert [len(s) for s in shown] == [2, 2, 0]
    assert not set(shown[0]) & set(shown[1])
    assert "page=2" in first and "Berikutnya" in first
    assert siti.get("/cases?per_page=0").status_code == 400


def test_a_coordinator_sees_the_network_and_its_overdue_cases(client, services, desk):
    koord = make_user(services, "KOORD", "Dewi Koordinator", role="coordinator")
    sign_in(client, services, koord)
    hk = desk.cases["SHELTER-HK"][0]
    with services.db.session() as s:
        case = s.scalar(select(Case).where(Case.reference == hk.replace("-", "")))
        sla.check(s, "simulator", now=case.assigned_at + timedelta(hours=49))
    found = dict(groups(client.get("/cases").get_data(as_text=True)))
    assert found["overdue"] == [hk]
    assert sorted(found["open"]) == sorted(desk.cases["SBMI-BWI"])


def test_every_listed_case_is_a_read_under_the_persons_name(siti, services, desk):
    assert siti.get("/cases").status_code == 200
    with services.db.session() as s:
        reads = s.execute(
            select(CaseEvent.case_id, CaseEvent.actor, CaseEvent.note).where(
                CaseEvent.kind == audit.READ
            )
        ).all()
    me = ME.format(desk.users["siti"])
    assert len(reads) == 2 and {(a, n) for _, a, n in reads} == {(me, "GET /cases")}


def test_signed_out_goes_to_the_login(client, desk):
    resp = client.get("/cases")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=%2Fcases")


def test_hong_kong_caseworker_does_not_see_bwi_cases(client, services, jobs, desk):
    sign_in(client, services, desk.users["mei"])
    html = client.get("/cases").get_data(as_text=True)
    assert re.findall(r'data-ref="([\d-]+)"', html) == desk.cases["SHELTER-HK"]
    assert IN_HONG_KONG["country"] == "HK"
