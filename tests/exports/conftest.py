"""A case with everything an export carries: parties, a referral, a long timeline."""

from __future__ import annotations

import pytest

from casebridge import refs
from tests.forwarding.cases import file_case


@pytest.fixture
def rich_case(client, services, jobs, api_key) -> dict:
    """SBMI-BWI's accepted case with two parties and a referral; returns its reference and
    SBMI-BWI's key."""
    ref = refs.format_ref(
        file_case(services, jobs, description="=cmd|' /C calc'!A0 gaji ditahan 4 bulan")
    )
    key = api_key("SBMI-BWI")
    events = [
        {"kind": "accept", "note": "Siti"},
        {"kind": "party", "role": "agency", "name": "PT Maju Jaya", "contact": "Jl. Melati 4"},
        {"kind": "party", "role": "family", "name": "Paman Joko", "cooperative": "no"},
        {"kind": "refer", "to": "LBH-TPPO", "reason": "bantuan hukum", "consent": True},
    ]
    for body in events:
        resp = client.post(
            f"/api/v1/cases/{ref}/events", json=body, headers={"Authorization": f"Bearer {key}"}
        )
        assert resp.status_code == 201, resp.get_json()
    return {"reference": ref, "key": key}
