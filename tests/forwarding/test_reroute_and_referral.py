"""Re-routed and referred cases reach their new organisation the same way new cases do."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from casebridge import actions, refs
from casebridge.forwarding.schedule import SWEEP_AFTER
from casebridge.models import Forward, Message, Organisation, utcnow
from tests.conftest import phone_index
from tests.forwarding.cases import file_case, load_case

AGUS = "+6289900000003"  # POSDESA-JATIM
HENDRA = "+6289900000012"  # LBH-TPPO


def post_event(client, key, ref, body):
    return client.post(
        f"/api/v1/cases/{refs.format_ref(ref)}/events",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
    )


def forwards_to(services, phone) -> list[str]:
    with services.db.session() as s:
        return list(
            s.scalars(
                select(Message.body).where(
                    Message.purpose == "case_forward", Message.phone_index == phone_index(phone)
                )
            )
        )


def test_declined_case_reaches_the_next_organisation(client, services, jobs, hooked, api_key):
    ref = file_case(services, jobs)
    resp = post_event(client, api_key("SBMI-BWI"), ref, {"kind": "decline", "reason": "penuh"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["case"]["organisation"] == "POSDESA-JATIM"
    jobs.run()
    [body] = forwards_to(services, AGUS)
    assert body.startswith(f"Kasus baru {refs.format_ref(ref)}")
    assert len(hooked.received) == 1  # SBMI-BWI's system heard of the first assignment only


def test_referral_by_api_reaches_the_receiving_organisation(client, services, jobs, api_key):
    ref = file_case(services, jobs, category="trafficking")
    body = {"kind": "refer", "to": "LBH-TPPO", "reason": "butuh bantuan hukum", "consent": True}
    assert post_event(client, api_key("SBMI-BWI"), ref, body).status_code == 201
    jobs.run()
    [sms] = forwards_to(services, HENDRA)
    assert sms.startswith(f"Rujukan kasus {refs.format_ref(ref)} dari SBMI Banyuwangi")


def test_a_forward_nobody_enqueued_is_sent_by_the_sweeper_within_seconds(services, jobs, orgs):
    ref = file_case(services, jobs)
    with services.db.session() as s:  # a referral whose forward was written but not enqueued
        case = load_case(s, ref)
        sbmi, lbh = (
            s.scalars(select(Organisation).where(Organisation.code == code)).one()
            for code in ("SBMI-BWI", "LBH-TPPO")
        )
        actions.refer(s, case, sbmi, "caseworker:+6289900000002", lbh, "TPPO", consent=True)
    jobs.tick()
    jobs.run()
    assert forwards_to(services, HENDRA) == []  # just written: its writer may enqueue it
    with time_machine.travel(utcnow() + SWEEP_AFTER + timedelta(seconds=1), tick=True):
        jobs.tick()
        jobs.run()
        jobs.tick()  # once only
        jobs.run()
    assert len(forwards_to(services, HENDRA)) == 1


def test_accepted_referral_sends_the_case_to_the_new_system_not_a_new_sms(
    client, services, jobs, api_key
):
    ref = file_case(services, jobs)
    refer = {"kind": "refer", "to": "LBH-TPPO", "reason": "TPPO", "consent": True}
    assert post_event(client, api_key("SBMI-BWI"), ref, refer).status_code == 201
    jobs.run()
    resp = post_event(client, api_key("LBH-TPPO"), ref, {"kind": "accept"})
    assert resp.status_code == 201 and resp.get_json()["case"]["organisation"] == "LBH-TPPO"
    jobs.run()
    assert len(forwards_to(services, HENDRA)) == 1  # the referral; nothing asks to accept again
    with services.db.session() as s:
        skipped = s.scalars(
            select(Forward).where(Forward.status == "skipped", Forward.event == "case.assigned")
        ).one()
        assert skipped.error == "the case is already accepted"
