"""Recordings: the case keeps the provider's URL; with STORE_RECORDINGS a worker also keeps
a copy of the audio in the instance folder."""

from __future__ import annotations

import pytest
from fakes.voice_servers import RECORDING, fake_recordings

from gateway.voice.jobs import read_recording

from .conftest import case_of_call


@pytest.fixture
def recordings_host():
    server = fake_recordings().start()
    yield server
    server.stop()


def leave_report(dial, provider: str, url: str):
    call = dial(provider)
    call.dial()
    for key in ("1", "1", "1", "1", "2"):
        call.press(key)
    call.record(url)
    return call


def test_by_default_only_the_url_is_kept(dial, jobs, services, twilio_api):
    url = f"{twilio_api.url}/2010-04-01/Accounts/AC1/Recordings/RE1"
    call = leave_report(dial, "twilio", url)
    jobs.run()
    assert case_of_call(services, "twilio", call.call_id).recording_url == url
    assert twilio_api.requests == []
    assert not (services.settings.instance_dir / "recordings").exists()


@pytest.mark.parametrize("extra_settings", [{"store_recordings": True}])
def test_a_twilio_recording_is_copied_with_the_account_credentials(
    dial, jobs, services, twilio_api
):
    url = f"{twilio_api.url}/2010-04-01/Accounts/AC1/Recordings/RE1"
    call = leave_report(dial, "twilio", url)
    jobs.run()
    case = case_of_call(services, "twilio", call.call_id)
    assert case.recording_url == url
    stored = services.settings.instance_dir / "recordings" / f"{case.reference}.wav"
    on_disk = stored.read_bytes()
    assert RECORDING not in on_disk and stored.stat().st_mode & 0o777 == 0o600
    assert read_recording(stored, services.settings.data_keys) == RECORDING
    (seen,) = twilio_api.requests
    assert (
        seen.auth == f"{services.settings.twilio_account_sid}:{services.settings.twilio_auth_token}"
    )


@pytest.mark.parametrize("extra_settings", [{"store_recordings": True}])
@pytest.mark.parametrize("provider", ["twilio", "africastalking"])
def test_a_recording_on_another_host_is_never_fetched(
    dial, jobs, services, recordings_host, provider
):
    call = leave_report(dial, provider, f"{recordings_host.url}/elsewhere/RE2")
    jobs.run()
    assert recordings_host.requests == []
    case = case_of_call(services, provider, call.call_id)
    assert case.recording_url  # the case keeps the URL; no copy is made
    assert not list((services.settings.instance_dir / "recordings").glob("*"))


@pytest.mark.parametrize("extra_settings", [{"store_recordings": True}])
def test_a_redirect_away_from_twilio_is_not_followed(
    dial, jobs, services, twilio_api, recordings_host
):
    twilio_api.redirect = f"{recordings_host.url}/stolen/RE3"
    leave_report(dial, "twilio", f"{twilio_api.url}/2010-04-01/Accounts/AC1/Recordings/RE3")
    jobs.run()
    assert len(twilio_api.requests) == 1
    assert recordings_host.requests == []
    assert not list((services.settings.instance_dir / "recordings").glob("*"))


@pytest.mark.parametrize("extra_settings", [{"store_recordings": True}])
def test_an_at_recording_is_copied_once(dial, jobs, services, at_api):
    call = leave_report(dial, "africastalking", f"{at_api.url}/recordings/ATVId_1.mp3")
    call.repeat()
    jobs.run()
    case = case_of_call(services, "africastalking", call.call_id)
    assert [seen.path for seen in at_api.requests] == ["/recordings/ATVId_1.mp3"]
    assert (services.settings.instance_dir / "recordings" / f"{case.reference}.wav").is_file()


@pytest.mark.parametrize("extra_settings", [{"store_recordings": True}])
def test_a_copy_queued_for_a_forgotten_case_is_never_made(dial, jobs, services, at_api):
    from casebridge import retention
    from casebridge.models import Case
    from gateway.voice.jobs import store_recording

    url = f"{at_api.url}/recordings/ATVId_9.mp3"
    call = leave_report(dial, "africastalking", url)
    jobs.run()
    case = case_of_call(services, "africastalking", call.call_id)
    folder = services.settings.instance_dir / "recordings"
    assert list(folder.glob(f"{case.reference}.*"))
    with services.db.session() as session:
        row = session.get(Case, case.id)
        retention.remove_personal_data(session, row, "test", "request", services.settings)
    assert not list(folder.glob(f"{case.reference}.*"))
    assert store_recording("africastalking", case.reference, url) == ""  # the job, run late
    assert not list(folder.glob(f"{case.reference}.*"))
    assert len(at_api.requests) == 1
