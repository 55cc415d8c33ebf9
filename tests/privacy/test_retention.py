"""Retention: `RETENTION_DAYS` after closure a case keeps only what the statistics count, its
timeline one content-free event more; messages of numbers that never became a case go after 90
days; the worker does it once a day. The clock is frozen by passing `now` and moving stored
dates back."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from click.testing import CliRunner
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.webhooks import at_sms
from sqlalchemy import select, text, update

from casebridge import access, attachments, outbox, reporters, retention, stats
from casebridge.models import (
    Attachment,
    Case,
    ChannelSession,
    Intake,
    Message,
    Reporter,
    utcnow,
)
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_KEYS, TEST_SECRET, phone_index
from tests.forwarding.cases import REPORTER_PHONE, WORKER_PHONE, file_case, load_case
from workers import retention as daily

NOW = utcnow()
LONG_AGO = NOW - timedelta(days=731)
DESCRIPTION = "Gaji 4 bulan belum dibayar oleh PT Maju Jaya"
STRANGER = "+6285611112222"
JPEG = b"\xff\xd8\xff\xe0" + b"contract page" * 50


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def act(client, key: str, ref: str, **body) -> None:
    resp = client.post(f"/api/v1/cases/{ref}/events", json=body, headers=auth(key))
    assert resp.status_code == 201, resp.get_json()


def worked_case(client, services, jobs, api_key, close: bool = True, **changes) -> str:
    """A desk report through the real pipeline, worked by SBMI-BWI over the org API: accepted,
    a party, a note, a message to the reporter, a referral, a photo, a kept recording; resolved
    and closed. Returns its 8 digits."""
    ref = file_case(
        services,
        jobs,
        recording_url="https://api.twilio.com/2010-04-01/Recordings/RE1",
        **changes,
    )
    key = api_key("SBMI-BWI")
    act(client, key, ref, kind="accept", note="Siti")
    act(client, key, ref, kind="party", role="agency", name="PT Maju Jaya", contact="Jl. Melati")
    act(client, key, ref, kind="note", note="majikan menahan paspor Wati")
    act(client, key, ref, kind="message", message="Kami sedang menghubungi agensi")
    act(
        client,
        key,
        ref,
        kind="refer",
        to="LBH-TPPO",
        reason="bantuan hukum untuk Wati",
        consent=True,
    )
    with services.db.session() as s:
        case = load_case(s, ref)
        row = Attachment(
            phone=case.reporter.phone,
            channel="whatsapp",
            provider="whatsapp",
            provider_media_id="media-1",
            kind="image",
        )
        s.add(row)
        s.flush()
        attachments.attach(s, case, [row])
        attachments.store(s, row, JPEG, "image/jpeg", services.settings.media_dir, 10**6)
    recordings = services.settings.instance_dir / retention.RECORDINGS
    recordings.mkdir(exist_ok=True)
    (recordings / f"{ref}.mp3").write_bytes(b"ID3 a voice")
    if close:
        act(client, key, ref, kind="status", status="resolved", message="Gaji sudah dibayar")
        act(client, key, ref, kind="status", status="closed")
    jobs.run()
    return ref


def closed_on(services, ref: str, when) -> None:
    with services.db.session() as s:
        s.execute(update(Case).where(Case.reference == ref).values(closed_at=when))


def figures(services) -> dict:
    with services.db.session() as s:
        return stats.compute(s, access.all_cases())


def raw(services, sql: str, **params):
    with services.db.engine.connect() as conn:
        return conn.execute(text(sql), params).one()


@pytest.fixture
def aged(client, services, jobs, orgs, api_key) -> dict[str, str]:
    """Two closed cases of two reporters: one closed 731 days ago, one just now."""
    old = worked_case(client, services, jobs, api_key)
    recent = worked_case(client, services, jobs, api_key, reporter_phone="+6281234500000")
    closed_on(services, old, LONG_AGO)
    return {"old": old, "recent": recent}


def test_a_case_closed_long_ago_keeps_only_what_the_statistics_count(services, aged):
    before = figures(services)
    media = services.settings.media_dir
    recording = services.settings.instance_dir / retention.RECORDINGS / f"{aged['old']}.mp3"
    assert len(list(media.iterdir())) == 2 and recording.exists()

    counts = retention.run_retention(services.db, services.settings, now=NOW)
    assert counts["cases"] == 1 and counts["failed"] == 0

    with services.db.session() as s:
        case = load_case(s, aged["old"])
        assert case.personal_data_removed_at == NOW
        assert case.description is None and case.recording_url is None
        assert case.worker.name is None and case.worker.phone is None
        assert (case.category, case.channel, case.status) == ("unpaid_wages", "desk", "closed")
        assert (case.worker.gender, case.worker.country, case.worker.province) == (
            "female",
            "MY",
            "ID-JI",
        )
        assert case.worker.regency == "Kabupaten Banyuwangi" and case.organisation is not None
        assert case.parties == []
        assert s.scalar(select(Message.id).where(Message.case_id == case.id)) is None
        assert attachments.for_case(s, case) == []
        assert case.reporter.phone is None and case.reporter.name is None
        assert case.reporter.phone_index is None and case.reporter.sms_safe is False
        timeline = [e for e in case.events if e.kind not in ("read", retention.REMOVED)]
        assert all(e.note is None and e.data is None for e in timeline)
        assert [e.kind for e in timeline].count("status") >= 3  # what happened is still there
        [removed] = [e for e in case.events if e.kind == retention.REMOVED]
        assert (removed.actor, removed.note, removed.data) == (
            retention.RETENTION_ACTOR,
            None,
            {"reason": "retention"},
        )
        payload = s.get(Intake, case.intake_id).payload
        assert payload["category"] == "unpaid_wages" and payload["country"] == "MY"
        assert not any(payload[k] for k in retention.REPORT_PERSONAL)
        case_id, reporter_id, worker_id = case.id, case.reporter_id, case.worker_id

    # and so in the raw columns: nothing left to decrypt
    assert raw(
        services, "SELECT description, recording_url FROM cases WHERE id = :i", i=case_id
    ) == (
        None,
        None,
    )
    assert raw(services, "SELECT name, phone FROM migrant_workers WHERE id = :i", i=worker_id) == (
        None,
        None,
    )
    assert raw(
        services, "SELECT name, phone, phone_index FROM reporters WHERE id = :i", i=reporter_id
    ) == (None, None, None)
    assert raw(services, "SELECT count(*) FROM parties WHERE case_id = :i", i=case_id) == (0,)
    with services.db.engine.connect() as conn:
        events = conn.execute(
            text("SELECT kind, note, data FROM case_events WHERE case_id = :i AND kind != 'read'"),
            {"i": case_id},
        ).all()
    assert {(note, data) for kind, note, data in events if kind != retention.REMOVED} == {
        (None, None)
    }
    [reason] = raw(services, "SELECT reason FROM referrals WHERE case_id = :i", i=case_id)
    assert TEST_KEYS.decrypt(reason) == ""
    [sealed] = raw(
        services,
        "SELECT payload FROM intakes WHERE case_id = :i OR reference = :r",
        i=case_id,
        r=aged["old"],
    )
    opened = TEST_KEYS.decrypt(sealed)
    assert REPORTER_PHONE not in opened and WORKER_PHONE not in opened and "Wati" not in opened
    assert "Maju Jaya" not in opened and "Sri" not in opened

    # the files are gone: the photo and the recording of the old case, not those of the new
    assert len(list(media.iterdir())) == 1 and not recording.exists()
    assert (recording.parent / f"{aged['recent']}.mp3").exists()
    assert figures(services) == before

    with services.db.session() as s:
        recent = load_case(s, aged["recent"])
        assert recent.personal_data_removed_at is None and recent.description == DESCRIPTION
        assert recent.reporter.phone == "+6281234500000" and recent.worker.name == "Wati"
        assert len(recent.parties) == 1 and len(attachments.for_case(s, recent)) == 1


def test_a_second_run_changes_nothing(services, aged):
    retention.run_retention(services.db, services.settings, now=NOW)
    with services.db.session() as s:
        case = load_case(s, aged["old"])
        events = len(case.events)
        again = retention.remove_personal_data(
            s, case, "cli", retention.REQUEST, services.settings, now=NOW
        )
    assert again is None
    assert retention.run_retention(services.db, services.settings, now=NOW)["cases"] == 0
    with services.db.session() as s:
        assert len(load_case(s, aged["old"]).events) == events


def test_the_case_a_day_before_its_time_is_untouched(services, aged):
    closed_on(services, aged["old"], NOW - timedelta(days=services.settings.retention_days - 1))
    assert retention.run_retention(services.db, services.settings, now=NOW)["cases"] == 0
    with services.db.session() as s:
        assert load_case(s, aged["old"]).description == DESCRIPTION


@pytest.mark.parametrize("training", [False, True])
def test_training_cases_and_retention_days_from_the_settings(
    client, services, jobs, orgs, api_key, training
):
    ref = worked_case(client, services, jobs, api_key, training=training)
    closed_on(services, ref, NOW - timedelta(days=31))
    short = services.settings.__class__.load(
        env={
            "DATABASE_URL": services.settings.database_url,
            "SECRET_KEY": TEST_SECRET,
            "DATA_KEY": TEST_DATA_KEY,
            "RETENTION_DAYS": "30",
        },
        instance_dir=services.settings.instance_dir,
    )
    assert retention.run_retention(services.db, services.settings, now=NOW)["cases"] == 0
    assert retention.run_retention(services.db, short, now=NOW)["cases"] == 1
    with services.db.session() as s:
        assert load_case(s, ref).description is None


def test_a_reporter_with_another_live_case_keeps_their_phone_and_stop(
    client, services, jobs, orgs, api_key
):
    old = worked_case(client, services, jobs, api_key)
    live = worked_case(client, services, jobs, api_key, close=False)
    closed_on(services, old, LONG_AGO)
    retention.run_retention(services.db, services.settings, now=NOW)
    with services.db.session() as s:
        gone, kept = load_case(s, old), load_case(s, live)
        assert gone.description is None and gone.reporter_id == kept.reporter_id
        assert kept.reporter.phone == REPORTER_PHONE and kept.description == DESCRIPTION
        assert kept.reporter.phone_index == phone_index(REPORTER_PHONE)
        assert s.scalar(select(Message.id).where(Message.case_id == kept.id)) is not None

    assert at_sms(client, REPORTER_PHONE, "20880", "STOP").status_code == 200
    jobs.run()
    with services.db.session() as s:
        assert reporters.find(s, REPORTER_PHONE).opted_out
        assert outbox.queue(s, REPORTER_PHONE, "Halo", "status", "africastalking") is None


def _age_messages(services, phone: str, days: int) -> None:
    with services.db.session() as s:
        s.execute(
            update(Message)
            .where(Message.phone_index == phone_index(phone))
            .values(created_at=NOW - timedelta(days=days))
        )
        s.execute(
            update(Reporter)
            .where(Reporter.phone_index == phone_index(phone))
            .values(created_at=NOW - timedelta(days=days))
        )


def _messages_of(services, phone: str) -> int:
    with services.db.session() as s:
        rows = s.scalars(select(Message.id).where(Message.phone_index == phone_index(phone)))
        return len(list(rows))


def test_messages_of_numbers_that_never_became_a_case_go_after_90_days(
    client, services, jobs, orgs, api_key
):
    live = worked_case(client, services, jobs, api_key, close=False)
    quiet, stopped, recent = STRANGER, "+6285633334444", "+6285655556666"
    for phone, words in (
        (quiet, "halo"),
        (stopped, "STOP"),
        (recent, "halo"),
        (REPORTER_PHONE, "halo, ada kabar?"),
    ):
        assert at_sms(client, phone, "20880", words).status_code == 200
    jobs.run()
    for phone in (quiet, stopped, REPORTER_PHONE):
        _age_messages(services, phone, 91)
    with services.db.session() as s:
        s.add_all(
            [
                ChannelSession(
                    channel="ussd",
                    provider="africastalking",
                    session_id="ATUid_old",
                    phone=quiet,
                    created_at=NOW - timedelta(days=91),
                ),
                ChannelSession(
                    channel="ussd", provider="africastalking", session_id="ATUid_new", phone=recent
                ),
            ]
        )
    assert _messages_of(services, quiet) >= 1 and _messages_of(services, stopped) >= 1

    counts = retention.run_retention(services.db, services.settings, now=NOW)
    assert counts["cases"] == 0 and counts["messages"] >= 2 and counts["sessions"] == 1
    assert _messages_of(services, quiet) == 0 and _messages_of(services, stopped) == 0
    assert _messages_of(services, recent) >= 1
    assert _messages_of(services, REPORTER_PHONE) >= 1  # their number became a case
    with services.db.session() as s:
        assert reporters.find(s, stopped).opted_out  # STOP is kept: nothing to send, ever
        assert reporters.find(s, quiet) is None
        phones = dict(s.execute(select(ChannelSession.session_id, ChannelSession.phone)).all())
        assert phones == {"ATUid_old": None, "ATUid_new": recent}
        assert load_case(s, live).description == DESCRIPTION


def test_the_worker_runs_it_once_a_day(client, services, jobs, orgs, api_key, caplog):
    first = worked_case(client, services, jobs, api_key)
    second = worked_case(client, services, jobs, api_key, reporter_phone="+6281234500000")
    closed_on(services, first, LONG_AGO)
    with caplog.at_level(logging.INFO, logger="workers.retention"):
        jobs.tick()
    assert "retention: " in caplog.text and "cases 1" in caplog.text
    assert DESCRIPTION not in caplog.text and REPORTER_PHONE not in caplog.text
    assert 0 < services.redis.ttl(daily.LOCK) <= daily.EVERY_SECONDS

    closed_on(services, second, LONG_AGO)
    jobs.tick()  # the same day: another worker's tick does not run it again
    with services.db.session() as s:
        assert load_case(s, first).personal_data_removed_at is not None
        assert load_case(s, second).personal_data_removed_at is None

    services.redis.delete(daily.LOCK)  # a day later
    jobs.tick()
    with services.db.session() as s:
        assert load_case(s, second).personal_data_removed_at is not None


def test_retention_run_from_the_console(
    client, services, jobs, orgs, api_key, tmp_path, monkeypatch
):
    ref = worked_case(client, services, jobs, api_key)
    closed_on(services, ref, LONG_AGO)
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "INSTANCE_PATH": str(services.settings.instance_dir),
    }
    dry = CliRunner().invoke(main, ["retention", "run", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "would remove the personal data of 1 case(s) closed more than 730 days" in dry.output
    with services.db.session() as s:
        assert load_case(s, ref).description == DESCRIPTION
    done = CliRunner().invoke(main, ["retention", "run"], env=env)
    assert done.exit_code == 0, done.output
    assert "removed the personal data of 1 case(s)" in done.output
    with services.db.session() as s:
        assert load_case(s, ref).description is None


def test_no_number_is_purged_while_a_key_rotation_runs(client, services, jobs, orgs):
    from casebridge import datakeys
    from casebridge.datakeys import DataKeys
    from casebridge.db import Database

    assert at_sms(client, STRANGER, "20880", "halo").status_code == 200
    jobs.run()
    _age_messages(services, STRANGER, 91)
    rotating = DataKeys.from_text(f"{datakeys.generate()},{TEST_DATA_KEY}")
    db = Database(services.settings.database_url, rotating)  # blind indexes under two keys
    try:
        counts = retention.run_retention(db, services.settings, now=NOW)
    finally:
        db.dispose()
    assert counts["messages"] == 0 and _messages_of(services, STRANGER) >= 1
    counts = retention.run_retention(services.db, services.settings, now=NOW)  # rotation over
    assert counts["messages"] >= 1 and _messages_of(services, STRANGER) == 0
