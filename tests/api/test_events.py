"""What an organisation does to its case through the API: each event is on the timeline with
the key's organisation, the reporter hears neutral news when it is safe, and a refused or
malformed event changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebridge.models import Message
from tests.api.conftest import api
from tests.conftest import phone_index
from tests.forwarding.cases import REPORTER_PHONE


def post(client, network, ref, body, code="SBMI-BWI"):
    return api(client, "POST", f"/cases/{ref}/events", network.keys[code], json=body)


def reporter_texts(services) -> list[str]:
    with services.db.session() as s:
        return list(
            s.scalars(
                select(Message.body)
                .where(
                    Message.phone_index == phone_index(REPORTER_PHONE),
                    Message.purpose != "confirmation",
                )
                .order_by(Message.id)
            )
        )


def test_accept_then_work_then_resolve_and_close(client, services, network):
    ref = network.cases["SBMI-BWI"][0]
    steps = [
        ({"kind": "accept", "note": "Siti menangani"}, "accepted"),
        (
            {"kind": "status", "status": "in_progress", "message": "Kami sudah menghubungi BP3MI"},
            "in_progress",
        ),
        (
            {"kind": "status", "status": "needs_info", "message": "Kapan terakhir gaji dibayar?"},
            "needs_info",
        ),
        ({"kind": "message", "message": "Terima kasih, kami lanjutkan"}, "in_progress"),
        ({"kind": "note", "note": "telepon majikan tidak diangkat"}, "in_progress"),
        ({"kind": "status", "status": "resolved", "message": "Gaji sudah dibayar"}, "resolved"),
        ({"kind": "status", "status": "closed"}, "closed"),
    ]
    for body, status in steps:
        resp = post(client, network, ref, body)
        assert resp.status_code == 201, resp.get_json()
        data = resp.get_json()
        assert data["case"]["status"] == status
        assert data["event"]["actor"] == "api:SBMI-BWI"
    texts = reporter_texts(services)
    assert texts[0] == f"No {ref}: diterima lembaga. Lembaga: SBMI Banyuwangi."
    assert f"No {ref} dari SBMI Banyuwangi: Kapan terakhir gaji dibayar? Balas SMS ini." in texts
    assert not any("telepon majikan" in t for t in texts)  # notes stay internal
    assert not any("Gaji tidak dibayar" in t or "unpaid" in t for t in texts)


def test_nothing_is_sent_to_a_reporter_for_whom_sms_is_not_safe(client, services, network):
    ref = network.cases["SBMI-BWI"][1]  # sms_safe: false
    assert post(client, network, ref, {"kind": "accept"}).status_code == 201
    with services.db.session() as s:
        assert not s.scalars(select(Message).where(Message.purpose.like("notice_%"))).all()


def test_decline_sends_the_case_on_and_the_caller_loses_it(client, network):
    ref = network.cases["SBMI-BWI"][0]
    resp = post(client, network, ref, {"kind": "decline", "reason": "di luar wilayah"})
    assert resp.status_code == 201
    assert resp.get_json()["case"]["organisation"] == "POSDESA-JATIM"
    again = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"])
    assert again.status_code == 404


def test_parties_are_recorded_with_role_contact_and_cooperation(client, network):
    ref = network.cases["SBMI-BWI"][0]
    parties = [
        {
            "kind": "party",
            "role": "employer",
            "name": "Mr Tan",
            "contact": "+60123456780",
            "cooperative": "no",
        },
        {"kind": "party", "role": "family", "name": "Paman Joko", "note": "mengurus keberangkatan"},
    ]
    for body in parties:
        assert post(client, network, ref, body).status_code == 201
    case = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).get_json()
    assert [(p["role"], p["name"], p["cooperative"]) for p in case["parties"]] == [
        ("employer", "Mr Tan", "no"),
        ("family", "Paman Joko", "unknown"),
    ]
    assert case["parties"][0]["contact"] == "+60123**6780"  # a phone number: masked
    assert [e["note"] for e in case["timeline"] if e["kind"] == "party"] == [
        "employer: Mr Tan (cooperative: no)",
        "family: Paman Joko (cooperative: unknown)",
    ]


def test_referral_without_the_reporters_consent_is_refused(client, network):
    ref = network.cases["SBMI-BWI"][0]
    resp = post(client, network, ref, {"kind": "refer", "to": "LBH-TPPO", "reason": "hukum"})
    assert resp.status_code == 400 and resp.get_json()["error"] == "consent_required"
    case = api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).get_json()
    assert case["referrals"] == [] and "referral" not in {e["kind"] for e in case["timeline"]}


def test_referral_accepted_by_the_receiving_organisation_moves_the_case(client, network):
    ref = network.cases["SBMI-BWI"][0]
    body = {"kind": "refer", "to": "LBH-TPPO", "reason": "perlu pengacara", "consent": True}
    assert post(client, network, ref, body).status_code == 201
    resp = post(client, network, ref, {"kind": "accept"}, code="LBH-TPPO")
    assert resp.status_code == 201
    case = resp.get_json()["case"]
    assert case["organisation"] == "LBH-TPPO" and case["status"] == "accepted"
    [referral] = case["referrals"]
    assert (referral["from"], referral["to"], referral["reason"]) == (
        "SBMI-BWI",
        "LBH-TPPO",
        "perlu pengacara",
    )
    assert referral["consent"] is True and referral["state"] == "accepted"
    assert api(client, "GET", f"/cases/{ref}", network.keys["SBMI-BWI"]).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "kind"),
        ({"kind": "dance"}, "kind"),
        ({"kind": ["accept"]}, "kind"),
        ({"kind": "decline"}, "reason"),
        ({"kind": "decline", "reason": "  "}, "reason"),
        ({"kind": "note", "note": "x" * 2001}, "note"),
        ({"kind": "note", "note": "ok", "secret": 1}, "secret"),
        ({"kind": "status", "status": "accepted"}, "status"),
        ({"kind": "status", "status": "in_progress"}, "message"),
        ({"kind": "refer", "to": "NOPE", "reason": "x", "consent": True}, "to"),
        ({"kind": "refer", "to": "LBH-TPPO", "reason": "x", "consent": "yes"}, "consent"),
        ({"kind": "party", "role": "boss", "name": "X"}, "role"),
        ({"kind": "party", "role": "employer", "name": "X", "cooperative": "maybe"}, "cooperative"),
    ],
)
def test_bad_events_are_400_and_change_nothing(client, network, body, field):
    ref = network.cases["SBMI-BWI"][0]
    key = network.keys["SBMI-BWI"]
    before = api(client, "GET", f"/cases/{ref}", key).get_json()
    resp = post(client, network, ref, body)
    assert resp.status_code == 400, resp.get_json()
    assert field in resp.get_json()["fields"]
    after = api(client, "GET", f"/cases/{ref}", key).get_json()
    assert after == before


def test_not_json_is_a_400(client, network):
    ref = network.cases["SBMI-BWI"][0]
    resp = client.post(
        f"/api/v1/cases/{ref}/events", data="accept", headers=network.headers("SBMI-BWI")
    )
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid"


def test_a_move_the_status_machine_refuses_is_a_409(client, network):
    ref = network.cases["SBMI-BWI"][0]
    resp = post(client, network, ref, {"kind": "status", "status": "closed"})
    assert resp.status_code == 409
    assert "cannot move a case from 'assigned' to 'closed'" in resp.get_json()["message"]
    assert post(client, network, ref, {"kind": "accept"}).status_code == 201
    assert post(client, network, ref, {"kind": "accept"}).status_code == 409
