"""Listing and reading cases: filters, pages, the case's shape, masked phones, the audit."""

from __future__ import annotations

import pytest

from tests.api.conftest import api
from tests.forwarding.cases import REPORTER_PHONE, WORKER_PHONE, load_case


def refs_of(resp) -> set[str]:
    return {c["reference"] for c in resp.get_json()["cases"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {0, 1}),
        ("?category=repatriation", {1}),
        ("?status=assigned", {0, 1}),
        ("?status=accepted", set()),
        ("?country=my", {0, 1}),
        ("?country=HK", set()),
        ("?province=ID-JI", {0, 1}),
        ("?since=2000-01-01&until=2999-12-31", {0, 1}),
        ("?until=2000-01-01", set()),
    ],
)
def test_filters(client, network, query, expected):
    mine = network.cases["SBMI-BWI"]
    resp = api(client, "GET", f"/cases{query}", network.keys["SBMI-BWI"])
    assert resp.status_code == 200
    assert refs_of(resp) == {mine[i] for i in expected}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=lost", "status"),
        ("?category=wages", "category"),
        ("?country=XX", "country"),
        ("?province=Jatim", "province"),
        ("?since=yesterday", "since"),
        ("?since=2024-05-02&until=2024-05-01", "until"),
        ("?page=0", "page"),
        ("?per_page=500", "per_page"),
        ("?sort=newest", "sort"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, api_key, query, field):
    resp = api(client, "GET", f"/cases{query}", api_key("SBMI-BWI"))
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["error"] == "invalid" and field in body["fields"]


def test_pages(client, network):
    key = network.keys["KOORD"]
    first = api(client, "GET", "/cases?per_page=3", key).get_json()
    assert (first["total"], first["page"], len(first["cases"])) == (4, 1, 3)
    second = client.get(first["next"], headers=network.headers("KOORD")).get_json()
    assert second["page"] == 2 and len(second["cases"]) == 1 and second["next"] is None
    assert len({c["reference"] for c in first["cases"] + second["cases"]}) == 4


def test_a_case_with_its_timeline_and_masked_phones(client, network):
    ref = network.cases["SBMI-BWI"][0]
    case = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).get_json()
    assert case["reference"] == ref and case["status"] == "assigned"
    assert case["category"] == "unpaid_wages" and case["organisation"] == "SBMI-BWI"
    assert case["channel"] == "desk"
    assert case["reporter"]["phone"] == "+62812****7891"
    assert case["reporter"]["relationship"] == "sibling"
    assert case["worker"]["phone"] != WORKER_PHONE and case["worker"]["gender"] == "female"
    first = case["timeline"][0]
    assert set(first) >= {"at", "kind", "actor", "note"} and first["kind"] == "created"


def test_full_phones_only_once_the_organisation_accepted(client, network):
    ref = network.cases["SBMI-BWI"][0]
    key = network.keys["SBMI-BWI"]
    asked = api(client, "GET", f"/cases/{ref}?phones=full", key).get_json()
    assert asked["reporter"]["phone"] == "+62812****7891"  # merely offered: still masked
    assert (
        api(client, "POST", f"/cases/{ref}/events", key, json={"kind": "accept"}).status_code == 201
    )
    held = api(client, "GET", f"/cases/{ref}?phones=full", key).get_json()
    assert held["reporter"]["phone"] == REPORTER_PHONE
    assert held["worker"]["phone"] == WORKER_PHONE
    assert (
        api(client, "GET", f"/cases/{ref}", key).get_json()["reporter"]["phone"] != REPORTER_PHONE
    )
    coordinator = api(
        client, "GET", f"/cases/{network.cases['SHELTER-HK'][0]}?phones=full", network.keys["KOORD"]
    )
    assert coordinator.get_json()["reporter"]["phone"] == REPORTER_PHONE


def test_every_read_is_in_the_audit_trail_with_the_readers_organisation(client, services, network):
    ref = network.cases["SBMI-BWI"][0]
    api(client, "GET", "/cases", network.keys["SBMI-BWI"])
    api(client, "GET", f"/cases/{ref}", network.keys["KOORD"])
    api(client, "GET", f"/cases/{ref}/referral.pdf", network.keys["SBMI-BWI"])
    api(client, "GET", "/export?format=csv", network.keys["SBMI-BWI"]).get_data()
    with services.db.session() as s:
        reads = [
            (e.actor, e.note, e.organisation_id is not None)
            for e in load_case(s, ref.replace("-", "")).events
            if e.kind == "read"
        ]
    assert reads == [
        ("api:SBMI-BWI", "GET /api/v1/cases", True),
        ("api:KOORD", f"GET /api/v1/cases/{ref}", True),
        ("api:SBMI-BWI", f"GET /api/v1/cases/{ref}/referral.pdf", True),
        ("api:SBMI-BWI", "GET /api/v1/export?format=csv", True),
    ]
    shown = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).get_json()
    assert "read" not in {e["kind"] for e in shown["timeline"]}  # reads stay in the audit


def test_reference_is_accepted_with_or_without_the_dash(client, network):
    ref = network.cases["SBMI-BWI"][0]
    for form in (ref, ref.replace("-", ""), ref.replace("-", " ")):
        assert api(client, "GET", f"/cases/{form}", network.keys["SBMI-BWI"]).status_code == 200
