"""Organisation isolation across every endpoint: an organisation's key never reaches a byte of
another organisation's cases, and a case it may not see answers exactly like one that does not
exist, guessed references included. A coordinator sees everything."""

from __future__ import annotations

import pytest

from casebridge import refs
from tests.api.conftest import api

NOT_FOUND = {"error": "not_found", "message": "no such case"}


def unknown_reference() -> str:
    """A well-formed reference (right check digit) that no case has."""
    body = "1234567"
    return refs.format_ref(body + refs.check_digit(body))


def case_routes(reference: str) -> list[tuple[str, str, dict]]:
    return [
        ("GET", f"/cases/{reference}", {}),
        ("GET", f"/cases/{reference}?phones=full", {}),
        ("GET", f"/cases/{reference}/referral.pdf", {}),
        ("POST", f"/cases/{reference}/events", {"json": {"kind": "accept"}}),
        ("POST", f"/cases/{reference}/events", {"json": {"kind": "note", "note": "hello"}}),
        ("POST", f"/cases/{reference}/events", {"json": {"kind": "decline", "reason": "x"}}),
        (
            "POST",
            f"/cases/{reference}/events",
            {"json": {"kind": "refer", "to": "SBMI-BWI", "reason": "x", "consent": True}},
        ),
        (
            "POST",
            f"/cases/{reference}/events",
            {"json": {"kind": "party", "role": "employer", "name": "X"}},
        ),
    ]


@pytest.mark.parametrize("guess", ["theirs", "unknown", "bad check digit", "garbage"])
def test_other_organisations_case_looks_exactly_like_a_missing_one(client, network, guess):
    theirs = network.cases["SHELTER-HK"][0]
    reference = {
        "theirs": theirs,
        "unknown": unknown_reference(),
        "bad check digit": theirs[:-1] + str((int(theirs[-1]) + 1) % 10),
        "garbage": "abc",
    }[guess]
    for method, path, kwargs in case_routes(reference):
        resp = api(client, method, path, network.keys["SBMI-BWI"], **kwargs)
        assert (resp.status_code, resp.get_json()) == (404, NOT_FOUND), (method, path)


def test_lists_exports_and_stats_hold_only_the_callers_cases(client, network):
    mine = set(network.cases["SBMI-BWI"])
    theirs = network.cases["SHELTER-HK"]
    key = network.keys["SBMI-BWI"]
    listed = api(client, "GET", "/cases?per_page=200", key).get_json()
    assert {c["reference"] for c in listed["cases"]} == mine and listed["total"] == 2
    for query in ("", "?country=HK", "?category=violence", "?organisation=SHELTER-HK"):
        body = api(client, "GET", f"/cases{query}", key).get_data(as_text=True)
        assert not any(ref in body for ref in theirs), query
    for fmt in ("csv", "json", "xml"):
        body = api(client, "GET", f"/export?format={fmt}&phones=full", key).get_data(as_text=True)
        assert all(ref in body for ref in mine), fmt
        assert not any(ref in body for ref in theirs), fmt
        assert "HK" not in body and "violence" not in body, fmt
    stats = api(client, "GET", "/stats", key).get_json()
    assert stats["total"] == 2 and stats["by_organisation"] == {"SBMI-BWI": 2}
    assert "HK" not in stats["by_country"] and "violence" not in stats["by_category"]


def test_an_event_on_another_organisations_case_changes_nothing(client, services, network):
    theirs = network.cases["SHELTER-HK"][0]
    before = api(client, "GET", f"/cases/{theirs}", network.keys["KOORD"]).get_json()
    for method, path, kwargs in case_routes(theirs):
        if method == "POST":
            api(client, method, path, network.keys["SBMI-BWI"], **kwargs)
    after = api(client, "GET", f"/cases/{theirs}", network.keys["KOORD"]).get_json()
    assert after["status"] == before["status"] == "assigned"
    assert after["organisation"] == "SHELTER-HK" and after["parties"] == []
    assert [e["kind"] for e in after["timeline"]] == [e["kind"] for e in before["timeline"]]


def test_the_coordinator_sees_every_case(client, network):
    key = network.keys["KOORD"]
    listed = api(client, "GET", "/cases", key).get_json()
    every = set(network.cases["SBMI-BWI"]) | set(network.cases["SHELTER-HK"])
    assert {c["reference"] for c in listed["cases"]} == every
    for reference in every:
        assert api(client, "GET", f"/cases/{reference}", key).status_code == 200
    assert api(client, "GET", "/stats", key).get_json()["total"] == 4


@pytest.mark.parametrize(
    "path", ["/cases", "/cases/1234-5674", "/stats", "/export?format=csv", "/reports"]
)
def test_no_key_or_a_wrong_key_gets_401(client, network, path):
    method = "POST" if path == "/reports" else "GET"
    for key in (None, "pgd_not-a-real-key", network.keys["SBMI-BWI"] + "x"):
        resp = api(client, method, path, key, json={})
        assert resp.status_code == 401 and resp.get_json()["error"] == "unauthorized"


def test_an_organisation_sees_a_case_referred_to_it_until_it_decides(client, network):
    ref = network.cases["SBMI-BWI"][0]
    lbh = network.keys["LBH-TPPO"]
    assert api(client, "GET", f"/cases/{ref}", lbh).status_code == 404
    refer = {"kind": "refer", "to": "LBH-TPPO", "reason": "bantuan hukum", "consent": True}
    assert (
        api(
            client, "POST", f"/cases/{ref}/events", network.keys["SBMI-BWI"], json=refer
        ).status_code
        == 201
    )
    assert api(client, "GET", f"/cases/{ref}", lbh).status_code == 200
    note = {"kind": "note", "note": "not yet ours"}
    resp = api(client, "POST", f"/cases/{ref}/events", lbh, json=note)
    assert resp.status_code == 403  # it sees the offer, but may only accept or decline it
    decline = {"kind": "decline", "reason": "bukan wilayah kami"}
    assert api(client, "POST", f"/cases/{ref}/events", lbh, json=decline).status_code == 201
    assert api(client, "GET", f"/cases/{ref}", lbh).status_code == 404
    holder = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).get_json()
    assert holder["organisation"] == "SBMI-BWI"
    assert holder["referrals"][0]["state"] == "declined"
