"""An organisation that records a desk report for a walk-in keeps following it once routing
gives it to another organisation: status and timeline, not that organisation's internal notes,
and it may not act on it."""

from __future__ import annotations

from tests.api.conftest import api

DESK_REPORT = {
    "reporter": {"phone": "+6281398765432", "relationship": "parent", "sms_safe": True},
    "worker": {"name": "Wati", "gender": "female", "country": "HK"},
    "category": "unpaid_wages",
    "description": "Gaji 4 bulan belum dibayar",
}


def test_the_filing_post_follows_its_desk_report_without_the_holders_notes(client, api_key, jobs):
    post, shelter, other = api_key("POSDESA-JATIM"), api_key("SHELTER-HK"), api_key("LBH-TPPO")
    filed = api(client, "POST", "/reports", post, json=DESK_REPORT)
    assert filed.status_code == 201
    ref = filed.get_json()["reference"]
    jobs.run()

    holder_view = api(client, "GET", f"/cases/{ref}", shelter).get_json()
    assert holder_view["organisation"] == "SHELTER-HK"
    for event in ({"kind": "accept"}, {"kind": "note", "note": "majikan di Tuen Mun, telepon"}):
        assert api(client, "POST", f"/cases/{ref}/events", shelter, json=event).status_code == 201
    party = {"kind": "party", "role": "employer", "name": "Mr Chan"}
    assert api(client, "POST", f"/cases/{ref}/events", shelter, json=party).status_code == 201

    seen = api(client, "GET", f"/cases/{ref}", post)
    assert seen.status_code == 200
    view = seen.get_json()
    assert view["status"] == "accepted" and view["organisation"] == "SHELTER-HK"
    kinds = [e["kind"] for e in view["timeline"]]
    assert "note" not in kinds and "Tuen Mun" not in seen.get_data(as_text=True)
    assert view["parties"] == [] and "Mr Chan" not in seen.get_data(as_text=True)
    assert any(e.get("to_status") == "accepted" for e in view["timeline"])
    listed = api(client, "GET", "/cases", post).get_json()
    assert ref in {c["reference"] for c in listed["cases"]}

    close = {"kind": "status", "status": "closed"}
    assert api(client, "POST", f"/cases/{ref}/events", post, json=close).status_code == 403
    assert api(client, "GET", f"/cases/{ref}", shelter).get_json()["status"] == "accepted"
    assert api(client, "GET", f"/cases/{ref}", other).status_code == 404
