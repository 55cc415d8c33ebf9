"""Files reporters leave are sealed on disk: a WhatsApp photo in MEDIA_PATH and a call's
recording (STORE_RECORDINGS) hold none of their content in the clear, owner-only; the
download routes give the original bytes to those who may see the case, and to no one else.
A file kept before sealing is still given out as it is."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest
import time_machine
from fakes import meta_webhooks
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.voice_phone import make_call
from fakes.voice_plugin import CALLER, at_api, case_of_call, twilio_api  # noqa: F401
from fakes.voice_plugin import voice_settings as voice_settings  # noqa: F401
from fakes.voice_servers import RECORDING
from sqlalchemy import select

from casebridge import refs
from casebridge.datakeys import FILE_MAGIC, DataKeys, generate
from casebridge.models import Attachment, Case, Reporter
from casebridge.models.encrypted import matches
from gateway.voice.jobs import read_recording
from tests.people import make_person
from tests.privacy.test_redis_at_rest import everything, forms
from tests.whatsapp.helpers import PHONE, say

JPEG = b"\xff\xd8\xff\xe0" + b"kontrak kerja Sulastri " * 40


@pytest.fixture
def extra_settings() -> dict:
    return {"store_recordings": True}


@pytest.fixture
def settings_overrides(request) -> dict:
    """WhatsApp's fakes for the attachment tests; the voice fakes for the recording's."""
    if "recording" in request.node.name:
        return request.getfixturevalue("voice_settings")
    return request.getfixturevalue("whatsapp_settings")


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller


def _report_with_photo(client, jobs, clock, fake_graph) -> tuple[str, Attachment]:
    """A WhatsApp report from PHONE, then a photo; (its case's reference, the attachment)."""
    for value in (
        meta_webhooks.text(PHONE, "LAPOR gaji saya belum dibayar 3 bulan di Malaysia"),
        meta_webhooks.reply(PHONE, "1", "Diri sendiri", "list_reply"),
        meta_webhooks.text(PHONE, "Wati"),
        meta_webhooks.reply(PHONE, "1", "Perempuan", "list_reply"),
        meta_webhooks.text(PHONE, "Banyuwangi"),
        meta_webhooks.reply(PHONE, "1", "Ya, aman"),
    ):
        say(client, jobs, value, clock)
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(client, jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    with jobs.services.db.session() as session:
        reporter = session.scalars(
            select(Reporter).where(matches(session, Reporter.phone_index, PHONE))
        ).one()
        case = session.scalars(select(Case).where(Case.reporter_id == reporter.id)).one()
        row = session.scalars(select(Attachment)).one()
        assert row.case_id == case.id and row.status == "stored"
        session.expunge(row)
        return refs.format_ref(case.reference), row


def _stored(services, row: Attachment):
    return services.settings.media_dir / row.stored_path


def test_an_attachment_is_sealed_on_disk_and_given_out_opened(
    client, services, sms_jobs, orgs, fake_graph, clock, sign_in_as, api_key
):
    ref, row = _report_with_photo(client, sms_jobs, clock, fake_graph)
    path = _stored(services, row)
    on_disk = path.read_bytes()
    assert on_disk.startswith(FILE_MAGIC) and b"kontrak kerja" not in on_disk
    assert JPEG[:64] not in on_disk
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert row.size == len(JPEG)  # of the content, not of the sealed file

    url = f"/cases/{ref}/attachments/{row.id}"
    sign_in_as(make_person(services, "PAR-JATENG"))
    assert client.get(url).status_code == 404
    sign_in_as(make_person(services, "SBMI-BWI"))
    answer = client.get(url)
    assert answer.status_code == 200 and answer.data == JPEG
    assert answer.headers["Cache-Control"] == "no-store"

    api = f"/api/v1/cases/{ref}/attachments/{row.id}"
    other = {"Authorization": f"Bearer {api_key('PAR-JATENG')}"}
    mine = {"Authorization": f"Bearer {api_key('SBMI-BWI')}"}
    assert client.get(api, headers=other).status_code == 404
    assert client.get(api, headers=mine).data == JPEG


def test_a_file_kept_before_sealing_is_given_out_as_it_is(
    client, services, sms_jobs, orgs, fake_graph, clock, sign_in_as
):
    ref, row = _report_with_photo(client, sms_jobs, clock, fake_graph)
    _stored(services, row).write_bytes(JPEG)  # as the media job wrote it before
    sign_in_as(make_person(services, "SBMI-BWI"))
    assert client.get(f"/cases/{ref}/attachments/{row.id}").data == JPEG


def test_a_file_no_key_opens_is_missing_not_an_error(
    client, services, sms_jobs, orgs, fake_graph, clock, sign_in_as
):
    ref, row = _report_with_photo(client, sms_jobs, clock, fake_graph)
    _stored(services, row).write_bytes(DataKeys.from_text(generate()).seal(JPEG))
    sign_in_as(make_person(services, "SBMI-BWI"))
    assert client.get(f"/cases/{ref}/attachments/{row.id}").status_code == 404


def test_a_recording_is_sealed_on_disk(client, services, jobs, twilio_api):  # noqa: F811
    call = make_call("twilio", client, CALLER, auth_token=services.settings.twilio_auth_token)
    call.dial()
    for key in ("1", "1", "1", "1", "2"):
        call.press(key)
    call.record(f"{twilio_api.url}/2010-04-01/Accounts/AC1/Recordings/RE1")
    assert all(f not in everything(services.redis) for f in forms(CALLER))  # the call's state
    jobs.run()
    case = case_of_call(services, "twilio", call.call_id)
    path = services.settings.instance_dir / "recordings" / f"{case.reference}.wav"
    on_disk = path.read_bytes()
    assert on_disk.startswith(FILE_MAGIC) and b"a recording" not in on_disk
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert read_recording(path, services.settings.data_keys) == RECORDING
    assert all(f not in everything(services.redis) for f in forms(CALLER))  # the jobs' too
