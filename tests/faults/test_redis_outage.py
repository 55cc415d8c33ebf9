"""Redis stopped in the middle of a load of reports, then started again: every report that got
a success reply becomes a case, none twice; SMS acknowledged meanwhile are all handled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from fakes.webhooks import at_sms
from sqlalchemy import select

from casebridge import refs
from casebridge.models import Case, Message, utcnow
from gateway.app import create_app
from gateway.services import Services, connect_redis
from tests.conftest import Jobs, phone_index
from tests.faults.helpers import SMS_DIALOGUE, ussd_hop, ussd_texts
from tests.faults.own_redis import OwnRedis


@pytest.fixture
def own(services, tmp_path):
    server = OwnRedis(tmp_path).start()
    svc = Services(services.settings, services.db, connect_redis(server.url))
    yield server, svc
    server.stop()


def desk(client, key, i):
    return client.post(
        "/api/v1/reports",
        json={"reporter": {"phone": f"+62812345620{i:02d}", "sms_safe": True}, "category": "other"},
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"outage-{i}"},
    )


def ussd_report(client, n):
    reply = None
    for text in ussd_texts():
        reply = ussd_hop(client, f"ATUid_outage_{n}", f"+62812345630{n:02d}", text)
    return reply.get_data(as_text=True)


def test_reports_survive_a_redis_restart(own, services, orgs, api_key):
    server, svc = own
    client = create_app(services=svc).test_client()
    jobs = Jobs(svc)
    key = api_key("POSDESA-JATIM")
    promised: set[str] = set()

    for i in range(3):  # Redis up
        promised.add(desk(client, key, i).get_json()["reference"])
        promised.add(re.search(r"\d{4}-\d{4}", ussd_report(client, i)).group(0))
    half = ussd_hop(client, "ATUid_outage_half", "+6281234563099", "")  # a session in flight
    assert half.get_data(as_text=True).startswith("CON ")
    acked = [at_sms(client, "+60129876501", "20880", SMS_DIALOGUE[0], "outage-sms-0")]

    server.stop()  # Redis goes away in the middle of the load
    for i in range(3, 6):
        reply = desk(client, key, i)
        assert reply.status_code == 201, "the intake is stored before Redis is needed"
        promised.add(reply.get_json()["reference"])
    down = ussd_hop(client, "ATUid_outage_down", "+6281234563098", "")
    assert down.status_code == 200 and down.get_data(as_text=True).startswith("END Maaf")
    late = ussd_hop(client, "ATUid_outage_half", "+6281234563099", "1")
    assert late.get_data(as_text=True).startswith("END Maaf")  # busy: no reference promised
    acked.append(at_sms(client, "+60129876502", "20880", SMS_DIALOGUE[0], "outage-sms-1"))
    assert all(r.status_code == 200 for r in acked)

    server.start()  # back, empty
    jobs.run()
    with time_machine.travel(utcnow() + timedelta(minutes=3)):
        jobs.tick()
        jobs.run()
    with services.db.session() as s:
        cases = s.scalars(select(Case)).all()
        assert {refs.format_ref(c.reference) for c in cases} == promised
        assert len(cases) == len(promised) == 9
        inbound = s.scalars(select(Message).where(Message.direction == "in")).all()
        assert sorted(m.status for m in inbound) == ["done", "done"]
        for phone in ("+60129876501", "+60129876502"):  # each SMS answered exactly once
            out = s.scalars(select(Message).where(Message.phone_index == phone_index(phone))).all()
            assert len([m for m in out if m.direction == "out"]) == 1
