"""An organisation that does not accept a case within its `sla_hours` is reminded; at twice
that the case is marked overdue, the coordinator is alerted and the reporter hears, once, that
it is still being handled. Nothing moves the case silently."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from casebridge import refs
from casebridge.models import Message, utcnow
from tests.conftest import phone_index
from tests.forwarding.cases import REPORTER_PHONE, file_case, load_case
from workers import sla as sla_jobs

SITI = "+6289900000002"  # SBMI-BWI (sla_hours: 48)
RINA = "+6289900000001"  # KOORD, the coordinator


def at(start, hours: float, minutes: float = 0):
    return time_machine.travel(start + timedelta(hours=hours, minutes=minutes), tick=False)


def sent(services, phone: str, purpose: str) -> list[str]:
    with services.db.session() as s:
        return list(
            s.scalars(
                select(Message.body)
                .where(Message.phone_index == phone_index(phone), Message.purpose == purpose)
                .order_by(Message.id)
            )
        )


def check(jobs) -> dict:
    outcome = sla_jobs.check_deadlines()
    jobs.run()
    return outcome


def test_reminder_at_sla_then_overdue_and_coordinator_alert_at_twice(services, jobs, orgs):
    start = utcnow()
    ref = file_case(services, jobs)
    shown = refs.format_ref(ref)
    with at(start, 47, 59):
        assert check(jobs) == {"reminded": 0, "escalated": 0}
    with at(start, 48, 1):
        assert check(jobs) == {"reminded": 1, "escalated": 0}
        assert check(jobs) == {"reminded": 0, "escalated": 0}
    assert sent(services, SITI, "case_forward")[1:] == [
        f"Pengingat: kasus {shown} belum diterima setelah 48 jam. Terima: TERIMA {shown}."
        f" Tolak: TOLAK {shown} alasan"
    ]
    with services.db.session() as s:
        case = load_case(s, ref)
        assert case.reminded_at is not None and not case.overdue and case.escalated_at is None

    with at(start, 95, 59):
        assert check(jobs) == {"reminded": 0, "escalated": 0}
    with at(start, 96, 1):
        assert check(jobs) == {"reminded": 0, "escalated": 1}
        assert check(jobs) == {"reminded": 0, "escalated": 0}
    assert sent(services, RINA, "case_forward") == [
        f"Terlambat: kasus {shown} belum diterima SBMI Banyuwangi setelah 96 jam."
        f" Rincian: INFO {shown}"
    ]
    assert sent(services, REPORTER_PHONE, "still_handling") == [
        f"No {shown} masih ditangani. Terima kasih atas kesabaran Anda."
    ]
    with services.db.session() as s:
        case = load_case(s, ref)
        assert case.overdue and case.status == "assigned" and case.organisation.code == "SBMI-BWI"
        kinds = [e.kind for e in case.events]
        assert kinds.count("sla_reminder") == 1 and kinds.count("sla_escalated") == 1
        [note] = [e.note for e in case.events if e.kind == "sla_escalated"]
        assert note == (
            "not accepted by SBMI-BWI within 96 hours; marked overdue, coordinator KOORD alerted"
        )


def test_both_deadlines_passed_while_workers_were_down(services, jobs, orgs):
    start = utcnow()
    file_case(services, jobs)
    with at(start, 200):
        assert check(jobs) == {"reminded": 1, "escalated": 1}


def test_accepted_case_is_never_reminded(client, services, jobs, api_key):
    start = utcnow()
    ref = file_case(services, jobs)
    resp = client.post(
        f"/api/v1/cases/{ref}/events",
        json={"kind": "accept"},
        headers={"Authorization": f"Bearer {api_key('SBMI-BWI')}"},
    )
    assert resp.status_code == 201
    with at(start, 500):
        assert check(jobs) == {"reminded": 0, "escalated": 0}


def test_reporter_hears_nothing_when_sms_is_not_safe(services, jobs, orgs):
    start = utcnow()
    ref = file_case(services, jobs, sms_safe=False)
    with at(start, 97):
        assert check(jobs)["escalated"] == 1
    assert sent(services, REPORTER_PHONE, "still_handling") == []
    with services.db.session() as s:
        notes = [e.note for e in load_case(s, ref).events if e.kind == "message_withheld"]
    assert notes[-1] == "still_handling: SMS is not safe"


def test_reporter_is_told_once_even_when_the_case_is_overdue_again(client, services, jobs, api_key):
    start = utcnow()
    ref = file_case(services, jobs)
    with at(start, 97):
        check(jobs)
        decline = {"kind": "decline", "reason": "tidak ada petugas"}
        headers = {"Authorization": f"Bearer {api_key('SBMI-BWI')}"}
        assert (
            client.post(f"/api/v1/cases/{ref}/events", json=decline, headers=headers).status_code
            == 201
        )
        jobs.run()
    with services.db.session() as s:
        case = load_case(s, ref)
        assert case.organisation.code == "POSDESA-JATIM" and not case.overdue  # a fresh clock
    with at(start, 97 + 97):
        assert check(jobs)["escalated"] == 1
    assert len(sent(services, REPORTER_PHONE, "still_handling")) == 1


def test_the_ticker_checks_deadlines_at_most_once_a_minute(services, jobs, monkeypatch):
    calls = []
    monkeypatch.setattr(sla_jobs, "check_deadlines", lambda: calls.append(1))
    jobs.tick()
    jobs.tick()
    assert calls == [1]
    services.redis.delete(sla_jobs.LOCK)  # a minute later
    jobs.tick()
    assert calls == [1, 1]
