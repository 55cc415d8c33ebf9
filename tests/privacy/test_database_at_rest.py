"""A stolen database reveals no one (#18): reports with distinctive names, numbers and words
arrive on every channel (USSD, SMS on Africa's Talking, Twilio and the Android gateway,
WhatsApp, a call, the API, and a caseworker's party, note and message in the workspace); the
jobs make the cases and send the messages. Each test first reads the values back through the
product (the ORM, the API's case JSON, the CSV export), then searches the raw database for
them: the SQLite file with its `-wal` and `-shm` files (before and after a checkpoint), and on
PostgreSQL (when `TEST_DATABASE_URL` is set) `pg_dump`, data only and whole. None is there.

Phone lookups still work on the blind index (STOP, the reporter's own cases, a resent SMS),
and a database opened with another key refuses to read a case instead of returning garbage."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime

import pytest
import time_machine
from fakes import meta_webhooks, webhooks
from fakes.android_phone import FakeAndroidPhone, PhoneWebhooks
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.plugin import AT_TOKEN, PUBLIC_BASE_URL, TWILIO_FROM, TWILIO_TOKEN
from fakes.voice_phone import make_call
from sqlalchemy import func, select

from casebridge import refs
from casebridge.datakeys import DataKeyError, DataKeys, generate
from casebridge.db import Database
from casebridge.migrate import upgrade
from casebridge.models import Case, Message, Party, Reporter
from casebridge.models.encrypted import matches
from tests.conftest import TEST_DATA_KEY
from tests.privacy.at_rest import (
    checkpoint,
    found_in,
    pg_dump,
    phone_forms,
    postgres_database,
    sqlite_files,
)
from tests.workspace.conftest import post as workspace_post
from tests.workspace.signin import make_user, sign_in

WORKER = "Sulastri Wulandari"
OTHER = "Tjahjono Hartanto"
EMPLOYER = "PT Kurniasih Jaya"
WORD = "disekapzxq"
DESCRIPTION = f"{WORD} oleh majikan {EMPLOYER}, paspor ditahan"
WORKER_PHONE = "+60147258369"
"""Typed as 0147258369 for a worker in Malaysia."""
PHONES = {
    "ussd": "+6281234567891",
    "sms_at": "+6281234567892",
    "sms_twilio": "+6281234567893",
    "android": "+6281234567894",
    "whatsapp": "+6281234567895",
    "voice": "+6281234567896",
    "api": "+6281234567897",
    "party": "+6281234567898",
}
RECORDING = "REd15ea5edd15ea5edd15ea5edd15ea5ed"
RECORDING_URL = f"https://api.twilio.com/2010-04-01/Accounts/AC{'1' * 32}/Recordings/{RECORDING}"
NOTE = f"{OTHER} datang ke kantor, {WORD}"
TO_REPORTER = f"Kami sudah menghubungi {EMPLOYER}"
ANDROID_LOGIN, ANDROID_PASSWORD, ANDROID_KEY = "sms", "phone-secret-pass-3c9d", "phone-key-71be"
PLAIN = "SBMI Banyuwangi"
"""An organisation's name, stored plain: the search finds what is there."""

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="module", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """This module's own database: a SQLite file everywhere, and PostgreSQL when there is one."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('at-rest') / 'at_rest.db'}"
        upgrade(url)
        yield url
        return
    with postgres_database(os.environ["TEST_DATABASE_URL"]) as url:
        yield url


@pytest.fixture(scope="module")
def android_server():
    server = FakeAndroidPhone(ANDROID_LOGIN, ANDROID_PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture
def settings_overrides(whatsapp_settings, android_server) -> dict:
    """Africa's Talking (the default), Twilio, WhatsApp and the Android gateway, all faked."""
    android_server.reset()
    return {
        **whatsapp_settings,
        "android_gateway_url": android_server.url,
        "android_gateway_login": ANDROID_LOGIN,
        "android_gateway_password": ANDROID_PASSWORD,
        "android_webhook_key": ANDROID_KEY,
    }


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller


# -- filing on each channel ------------------------------------------------------------------

SMS_DIALOGUE = [f"LAPOR {DESCRIPTION} di Malaysia", "kakak", WORKER, "perempuan", "Banyuwangi"]
SMS_DIALOGUE += ["1"]


def by_ussd(ctx) -> str:
    from tests.ussd.phone import Phone

    phone = Phone(ctx.client, PHONES["ussd"], token=AT_TOKEN)
    phone.dial()
    phone.press("1", "2", "2", WORKER, "1", "1", "2", "Jawa Timur", "Banyuwangi")
    phone.press("0147258369", DESCRIPTION, "2", "1", "1", "1")
    assert phone.reply.startswith("END Laporan terkirim"), phone.reply
    return PHONES["ussd"]


def by_sms_at(ctx) -> str:
    for i, line in enumerate(SMS_DIALOGUE):
        ctx.clock.shift(30)
        answer = webhooks.at_sms(ctx.client, PHONES["sms_at"], "20880", line, f"ATXid_rest_{i}")
        assert answer.status_code == 200
        ctx.jobs.run()
    return PHONES["sms_at"]


def by_sms_twilio(ctx) -> str:
    for line in SMS_DIALOGUE:
        ctx.clock.shift(30)
        answer = webhooks.twilio_sms(ctx.client, PHONES["sms_twilio"], TWILIO_FROM, line)
        assert answer.status_code == 200
        ctx.jobs.run()
    return PHONES["sms_twilio"]


def by_android(ctx) -> str:
    phone = PhoneWebhooks(ctx.client, ANDROID_KEY)
    for line in SMS_DIALOGUE:
        ctx.clock.shift(30)
        answer = phone.received(PHONES["android"], line, sim=1)
        assert answer.status_code in (200, 202, 204), answer.get_data(as_text=True)
        ctx.jobs.run()
    return PHONES["android"]


def by_whatsapp(ctx) -> str:
    phone = PHONES["whatsapp"]
    steps = [
        meta_webhooks.text(phone, f"LAPOR {DESCRIPTION} di Malaysia"),
        meta_webhooks.reply(phone, "5", "Saudara kandung", "list_reply"),
        meta_webhooks.text(phone, WORKER),
        meta_webhooks.reply(phone, "1", "Perempuan", "list_reply"),
        meta_webhooks.text(phone, "Banyuwangi"),
        meta_webhooks.reply(phone, "1", "Ya, aman"),
    ]
    for value in steps:
        ctx.clock.shift(30)
        answer = meta_webhooks.post(ctx.client, value)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        ctx.jobs.run()
    return phone


def by_voice(ctx) -> str:
    call = make_call(
        "twilio", ctx.client, PHONES["voice"], auth_token=TWILIO_TOKEN, base_url=PUBLIC_BASE_URL
    )
    first = call.dial()
    assert first.status == 200, first.xml
    for digit in ("1", "2", "1", "2", "1"):
        call.press(digit)
    done = call.record(RECORDING_URL, duration=42)
    assert "Laporan Anda sudah kami terima" in done.text, done.text
    call.hang_up(duration=95)
    return PHONES["voice"]


def by_api(ctx) -> str:
    report = {
        "reporter": {
            "phone": PHONES["api"],
            "name": OTHER,
            "relationship": "sibling",
            "sms_safe": True,
        },
        "worker": {
            "name": WORKER,
            "gender": "female",
            "phone": WORKER_PHONE,
            "country": "MY",
            "province": "ID-JI",
            "regency": "Banyuwangi",
        },
        "category": "unpaid_wages",
        "description": DESCRIPTION,
    }
    key = ctx.api_key("POSDESA-JATIM")
    answer = ctx.client.post(
        "/api/v1/reports", json=report, headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 201, answer.get_json()
    return PHONES["api"]


CHANNELS = {
    "ussd": by_ussd,
    "sms_at": by_sms_at,
    "sms_twilio": by_sms_twilio,
    "android": by_android,
    "whatsapp": by_whatsapp,
    "voice": by_voice,
    "api": by_api,
}


class Context:
    def __init__(self, client, services, jobs, clock, api_key):
        self.client, self.services, self.jobs = client, services, jobs
        self.clock, self.api_key = clock, api_key


@pytest.fixture
def ctx(client, services, jobs, clock, api_key, orgs) -> Context:
    return Context(client, services, jobs, clock, api_key)


# -- reading it back, then as a thief ---------------------------------------------------------


def the_case(services, phone: str) -> Case:
    with services.db.session() as session:
        reporter = session.scalars(
            select(Reporter).where(matches(session, Reporter.phone_index, phone))
        ).one()
        case = session.scalars(select(Case).where(Case.reporter_id == reporter.id)).one()
        _ = case.worker, case.reporter, case.organisation, case.parties, case.events
        return case


def shown_to_those_allowed(ctx, case: Case) -> str:
    """The case's JSON (full phones) and the CSV export, as the coordinator reads them."""
    key = ctx.api_key("KOORD")
    headers = {"Authorization": f"Bearer {key}"}
    ref = refs.format_ref(case.reference)
    view = ctx.client.get(f"/api/v1/cases/{ref}?phones=full", headers=headers)
    assert view.status_code == 200, view.get_json()
    export = ctx.client.get("/api/v1/export?format=csv&phones=full", headers=headers)
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [r["reference"] for r in rows] == [ref]
    return view.get_data(as_text=True) + "\n" + export.get_data(as_text=True)


def raw(services) -> dict[str, bytes]:
    """What a thief copies: the SQLite files (also after a checkpoint), or pg_dump's output."""
    url = services.settings.database_url
    if services.db.is_sqlite:
        blobs = {f"{name} (live)": data for name, data in sqlite_files(url).items()}
        checkpoint(services.db.engine)
        blobs.update({f"{name} (checkpointed)": data for name, data in sqlite_files(url).items()})
        return blobs
    return {
        "pg_dump --data-only": pg_dump(url, "--data-only"),
        "pg_dump": pg_dump(url),
    }


def assert_nowhere_at_rest(services, values: list[str]) -> None:
    blobs = raw(services)
    assert any(PLAIN.encode() in blob for blob in blobs.values()), "the search reads nothing"
    assert found_in(blobs, values) == {}


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_report_on_each_channel_is_readable_only_through_the_product(ctx, channel):
    phone = CHANNELS[channel](ctx)
    ctx.jobs.run()
    case = the_case(ctx.services, phone)
    assert case.reporter.phone == phone
    secrets = [*phone_forms(phone)]
    if channel == "voice":
        assert case.recording_url == RECORDING_URL
        secrets += [RECORDING, RECORDING_URL]
    else:
        assert case.worker.name == WORKER
        assert WORD in case.description and EMPLOYER in case.description
        secrets += [WORKER, "Sulastri", "Wulandari", WORD, EMPLOYER, "Kurniasih"]
    if channel in ("ussd", "api"):
        assert case.worker.phone == WORKER_PHONE
        secrets += phone_forms(WORKER_PHONE)
    if channel == "api":
        assert case.reporter.name == OTHER
        secrets += [OTHER, "Tjahjono", "Hartanto"]
    with ctx.services.db.session() as session:
        sent = session.scalars(
            select(Message).where(matches(session, Message.phone_index, phone))
        ).all()
        assert any(m.direction == "out" for m in sent), "no confirmation to the reporter"
    shown = shown_to_those_allowed(ctx, case)
    for value in secrets[:1] + [v for v in (WORKER, WORD, RECORDING_URL) if v in secrets]:
        assert value in shown, value
    assert_nowhere_at_rest(ctx.services, secrets)


def test_a_caseworkers_party_note_and_message_are_readable_only_through_the_product(ctx):
    phone = by_api(ctx)
    ctx.jobs.run()
    case = the_case(ctx.services, phone)
    ref = refs.format_ref(case.reference)
    user = make_user(ctx.services, case.organisation.code, "Rina Caseworker")
    client = ctx.client
    sign_in(client, ctx.services, user)
    assert workspace_post(client, ref, "accept").status_code == 302
    party = {
        "role": "employer",
        "name": OTHER,
        "contact": PHONES["party"],
        "cooperative": "no",
        "party_note": f"{EMPLOYER} {WORD}",
    }
    assert workspace_post(client, ref, "parties", **party).status_code == 302
    assert workspace_post(client, ref, "note", note=NOTE).status_code == 302
    preview = workspace_post(client, ref, "status", status="in_progress", message=TO_REPORTER)
    assert preview.status_code == 200
    confirm = preview.get_data(as_text=True).split('name="confirm" value="')[1].split('"')[0]
    sent = workspace_post(
        client, ref, "status", status="in_progress", message=TO_REPORTER, confirm=confirm
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    ctx.jobs.run()
    with ctx.services.db.session() as session:
        stored = session.scalars(select(Party).where(Party.case_id == case.id)).one()
        assert (stored.name, stored.contact) == (OTHER, PHONES["party"])
        notes = [e.note for e in session.get(Case, case.id).events if e.note]
        assert NOTE in notes
        bodies = [
            m.body
            for m in session.scalars(
                select(Message).where(matches(session, Message.phone_index, phone))
            )
        ]
        assert any(TO_REPORTER in b for b in bodies), bodies
    shown = shown_to_those_allowed(ctx, case)
    assert OTHER in shown and PHONES["party"] in shown and NOTE in shown
    case_page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert OTHER in case_page and PHONES["party"] in case_page
    assert_nowhere_at_rest(
        ctx.services,
        [OTHER, "Tjahjono", "Hartanto", EMPLOYER, "Kurniasih", WORD, TO_REPORTER, NOTE]
        + phone_forms(PHONES["party"])
        + phone_forms(phone),
    )


# -- lookups by phone, and the wrong key -------------------------------------------------------


def test_stop_from_the_reporter_silences_them(ctx):
    phone = by_sms_at(ctx)
    ctx.clock.shift(30)
    assert webhooks.at_sms(ctx.client, phone, "20880", "STOP", "ATXid_rest_stop").status_code == 200
    ctx.jobs.run()
    with ctx.services.db.session() as session:
        reporters = session.scalars(
            select(Reporter).where(matches(session, Reporter.phone_index, phone))
        ).all()
        assert [r.opted_out for r in reporters] == [True]


def test_the_reporters_own_cases_are_found_by_their_number(ctx):
    from tests.ussd.phone import Phone

    by_ussd(ctx)
    ctx.jobs.run()
    case = the_case(ctx.services, PHONES["ussd"])
    phone = Phone(ctx.client, PHONES["ussd"], token=AT_TOKEN)
    phone.dial()
    ref = refs.format_ref(case.reference)
    assert f"1. {ref} " in phone.press("2"), phone.reply
    shown = phone.press("1")
    assert shown.startswith(f"END Laporan {ref}\n") and PLAIN in shown, shown


def test_a_resent_sms_is_stored_once(ctx):
    first = webhooks.at_sms(ctx.client, PHONES["sms_at"], "20880", SMS_DIALOGUE[0], "ATXid_same")
    again = webhooks.at_sms(ctx.client, PHONES["sms_at"], "20880", SMS_DIALOGUE[0], "ATXid_same")
    assert first.status_code == again.status_code == 200
    ctx.jobs.run()
    with ctx.services.db.session() as session:
        inbound = session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                matches(session, Message.phone_index, PHONES["sms_at"]), Message.direction == "in"
            )
        )
    assert inbound == 1


def test_another_key_cannot_read_a_case(ctx):
    phone = by_api(ctx)
    ctx.jobs.run()
    url = ctx.services.settings.database_url
    stranger = Database(url, DataKeys.from_text(generate()))
    try:
        with stranger.session() as session:
            reporter_id = the_case(ctx.services, phone).reporter_id
            with pytest.raises(DataKeyError, match="which DATA_KEY does not hold"):
                session.get(Reporter, reporter_id)
    finally:
        stranger.dispose()
    ours = Database(url, DataKeys.from_text(TEST_DATA_KEY))
    try:
        with ours.session() as session:
            assert session.get(Reporter, reporter_id).phone == phone
    finally:
        ours.dispose()
