"""A new case reaches its organisation within seconds by SMS to its caseworkers and by a
signed webhook its own system can verify."""

from __future__ import annotations

import hashlib
import hmac
import time

from sqlalchemy import select

from casebridge import refs
from casebridge.forwarding import signature
from casebridge.models import Forward, Message
from tests.conftest import phone_index
from tests.forwarding.cases import REPORTER_PHONE, WORKER_PHONE, file_case, load_case

SITI = "+6289900000002"  # SBMI-BWI's caseworker in the demo directory
RINA = "+6289900000001"  # KOORD, the coordinator


def test_new_case_reaches_the_organisation_by_sms_and_verified_webhook(services, jobs, hooked):
    started = time.monotonic()
    ref = file_case(services, jobs)
    assert time.monotonic() - started < 5
    shown = refs.format_ref(ref)

    [payload] = hooked.received
    assert hooked.refused == []
    assert payload["event"] == "case.assigned"
    assert payload["reference"] == shown and payload["organisation"] == "SBMI-BWI"
    assert payload["status"] == "assigned" and payload["category"] == "unpaid_wages"
    assert payload["reporter"]["phone"] != REPORTER_PHONE  # masked until accepted
    assert [e["kind"] for e in payload["timeline"]][:2] == ["created", "status"]

    with services.db.session() as s:
        sms = s.scalars(select(Message).where(Message.purpose == "case_forward")).one()
        assert sms.phone == SITI and sms.status == "delivered"
        assert f"TERIMA {shown}" in sms.body and f"TOLAK {shown}" in sms.body
        case = load_case(s, ref)
        notes = [e.note for e in case.events if e.kind == "forward"]
    assert any(n.startswith("sms case.assigned to SBMI-BWI, attempt 1: queued") for n in notes)
    assert any(
        n.startswith("webhook case.assigned to SBMI-BWI, attempt 1: HTTP 202") for n in notes
    )


def test_a_training_case_reaches_caseworkers_by_sms_but_never_the_webhook(services, jobs, hooked):
    ref = file_case(services, jobs, reporter_phone="+6289900000101")  # the training range
    assert hooked.received == [] and hooked.refused == []
    with services.db.session() as s:
        case = load_case(s, ref)
        assert case.training
        assert {f.channel for f in s.scalars(select(Forward))} == {"sms"}
        sms = s.scalars(select(Message).where(Message.purpose == "case_forward")).one()
        assert sms.phone == SITI
        notes = [e.note for e in case.events if e.kind == "forward_skipped"]
    assert notes == ["case.assigned not forwarded to SBMI-BWI's own systems: a training case"]


def test_caseworker_sms_carries_no_personal_detail(services, jobs, orgs):
    ref = file_case(services, jobs)
    with services.db.session() as s:
        body = s.scalars(select(Message.body).where(Message.purpose == "case_forward")).one()
    assert refs.format_ref(ref) in body and "Gaji tidak dibayar" in body and "Malaysia" in body
    for private in ("Sri", "Wati", "Maju Jaya", REPORTER_PHONE, WORKER_PHONE, "7891"):
        assert private not in body


def test_signature_is_the_hmac_of_timestamp_dot_body():
    body = b'{"event":"case.assigned"}'
    expected = hmac.new(b"s3cret-s3cret-s3cret", b"1700000000." + body, hashlib.sha256)
    assert signature.sign("s3cret-s3cret-s3cret", 1700000000, body) == (
        "sha256=" + expected.hexdigest()
    )
    headers = signature.headers("s3cret-s3cret-s3cret", body, now=1700000000)
    assert headers == {
        "X-Pengaduan-Timestamp": "1700000000",
        "X-Pengaduan-Signature": "sha256=" + expected.hexdigest(),
    }


def test_receiver_refuses_a_replay_a_stale_timestamp_and_a_wrong_signature(hooked):
    import requests

    body = b'{"event":"case.assigned","reference":"4821-7730"}'
    fresh = signature.headers(hooked.secret, body)
    post = lambda headers: requests.post(hooked.hook_url, data=body, headers=headers, timeout=5)  # noqa: E731
    assert post(fresh).status_code == 202
    assert post(fresh).status_code == 409  # the very same request again
    stale = signature.headers(hooked.secret, body, now=time.time() - 301)
    assert post(stale).status_code == 401
    forged = signature.headers("another-secret-entirely", body)
    assert post(forged).status_code == 401
    assert hooked.refused == ["replay", "stale timestamp", "bad signature"]


def test_running_a_forward_job_twice_sends_once(services, jobs, hooked):
    from workers import forwarding

    ref = file_case(services, jobs)
    with services.db.session() as s:
        ids = s.scalars(select(Forward.id).where(Forward.case_id == load_case(s, ref).id)).all()
    for forward_id in ids:
        assert forwarding.forward(forward_id) == "busy"
    assert len(hooked.received) == 1
    with services.db.session() as s:
        assert s.scalars(select(Message).where(Message.purpose == "case_forward")).all()


def test_an_organisation_without_any_channel_is_named_on_the_timeline(services, jobs, orgs):
    from tests.forwarding.cases import set_channels

    set_channels(services, "SBMI-BWI", forward_sms=False)
    ref = file_case(services, jobs)
    with services.db.session() as s:
        case = load_case(s, ref)
        assert [e.note for e in case.events if e.kind == "forward_skipped"] == [
            "case.assigned not forwarded: SBMI-BWI has no channel in the directory"
        ]
        assert not s.scalars(select(Message).where(Message.purpose == "case_forward")).all()


def test_no_mail_without_smtp_and_the_timeline_says_why(services, jobs, orgs):
    from tests.forwarding.cases import set_channels

    set_channels(services, "SBMI-BWI", email="kasus@sbmi.example.org")
    ref = file_case(services, jobs)
    with services.db.session() as s:
        row = s.scalars(select(Forward).where(Forward.channel == "email")).one()
        assert row.status == "skipped"
        notes = [e.note for e in load_case(s, ref).events if e.kind == "forward_skipped"]
    assert notes == [
        "email case.assigned to SBMI-BWI not sent: e-mail is not configured (SMTP_HOST)"
    ]


def test_a_case_nobody_covers_reaches_the_coordinator_asking_to_refer_it(services, jobs, orgs):
    ref = file_case(services, jobs, category="other", country=None, province=None, regency=None)
    with services.db.session() as s:
        assert load_case(s, ref).organisation.code == "KOORD"
        [body] = s.scalars(
            select(Message.body).where(
                Message.purpose == "case_forward", Message.phone_index == phone_index(RINA)
            )
        )
    assert body.startswith(f"Kasus {refs.format_ref(ref)} tanpa lembaga: Lainnya")
    assert f"RUJUK {refs.format_ref(ref)}" in body
