"""Provider retry storms: every webhook delivered three times, interleaved, under concurrency,
still gives exactly one case and one confirmation per report."""

from __future__ import annotations

import time_machine
from fakes.webhooks import at_sms, twilio_sms

from casebridge.models import Message, utcnow
from tests.conftest import phone_index
from tests.faults.helpers import SMS_DIALOGUE, count, counts, storm, ussd_hop, ussd_texts

REPORTERS = 6


def test_sms_dialogues_delivered_three_times(
    client, services, orgs, sms_jobs, fake_at, fake_twilio
):
    phones = [f"+6012987650{i}" for i in range(REPORTERS)]
    with time_machine.travel(utcnow(), tick=True) as clock:
        for step, text in enumerate(SMS_DIALOGUE):
            clock.shift(30)  # people take time to answer
            calls = []
            for i, phone in enumerate(phones):
                msg_id = f"storm-{i}-{step}"
                if i % 2:
                    calls.append(lambda p=phone, m=msg_id, t=text: at_sms(client, p, "20880", t, m))
                else:
                    calls.append(
                        lambda p=phone, m=msg_id, t=text: twilio_sms(
                            client, p, "+85258001234", t, m
                        )
                    )
            assert {r.status_code for r in storm(calls)} == {200}
            sms_jobs.run()
    assert counts(services) == {
        "intakes": REPORTERS,
        "cases": REPORTERS,
        "confirmations": REPORTERS,
    }
    assert count(services, Message, Message.direction == "in") == REPORTERS * len(SMS_DIALOGUE)
    for phone in phones:  # one question per answer, one confirmation each
        assert (
            count(
                services,
                Message,
                Message.phone_index == phone_index(phone),
                Message.direction == "out",
            )
            == 6
        )


def test_ussd_hops_delivered_three_times(client, services, orgs, sms_jobs):
    sessions = [(f"ATUid_storm_{i:02d}", f"+62812345600{i:02d}") for i in range(REPORTERS)]
    last = {}
    for text in ussd_texts():
        calls = [lambda s=s, p=p, t=text: ussd_hop(client, s, p, t) for s, p in sessions]
        replies = storm(calls)
        assert all(r.status_code == 200 for r in replies)
        last = {r.get_data(as_text=True) for r in replies}
    assert all(reply.startswith("END Laporan terkirim") for reply in last)
    assert len(last) == REPORTERS  # each session got one reference, repeated identically
    sms_jobs.run()
    assert counts(services) == {
        "intakes": REPORTERS,
        "cases": REPORTERS,
        "confirmations": REPORTERS,
    }


def test_desk_reports_posted_three_times(client, services, api_key, sms_jobs):
    key = api_key("POSDESA-JATIM")

    def post(i):
        return client.post(
            "/api/v1/reports",
            json={
                "reporter": {"phone": f"+62812345610{i:02d}", "sms_safe": True},
                "category": "other",
            },
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"desk-{i}"},
        )

    replies = storm([lambda i=i: post(i) for i in range(REPORTERS)])
    assert {r.status_code for r in replies} == {201}
    assert len({r.get_json()["reference"] for r in replies}) == REPORTERS
    sms_jobs.run()
    assert counts(services) == {
        "intakes": REPORTERS,
        "cases": REPORTERS,
        "confirmations": REPORTERS,
    }
