"""Missed-call callback: the throttle, and the outbound calls the real SDKs place against
local fake provider APIs."""

from __future__ import annotations

import pytest

from casebridge.messaging import PermanentSendError, RetryableSendError
from gateway.providers.africastalking import voice as at_voice
from gateway.providers.twilio import voice as twilio_voice
from gateway.voice import callback
from gateway.voice import jobs as voice_jobs
from tests.conftest import phone_index

from .conftest import AT_NUMBER, CALLER

SID = "AC" + "1" * 32


@pytest.fixture
def extra_settings() -> dict:
    return {"missed_call_callback": True}


def test_the_first_call_in_an_hour_is_refused_and_called_back(dial, jobs, twilio_api, services):
    reply = dial("twilio").dial()
    assert reply.verbs == ["Reject"]
    jobs.run()
    (seen,) = twilio_api.requests
    assert seen.path == f"/2010-04-01/Accounts/{SID}/Calls.json"
    assert seen.auth == f"{SID}:{services.settings.twilio_auth_token}"
    assert seen.form["To"] == CALLER and seen.form["From"] == services.settings.twilio_from
    assert seen.form["Url"] == "http://127.0.0.1:5000/voice/twilio"
    assert seen.form["StatusCallback"] == "http://127.0.0.1:5000/voice/twilio/status"
    assert dial("twilio").dial().verbs == ["Gather"]  # within the hour: answered


def test_the_throttle_is_per_number_across_providers(dial, jobs, twilio_api, at_api):
    assert dial("twilio").dial().verbs == ["Reject"]
    assert dial("africastalking").dial().verbs != ["Reject"]
    assert dial("africastalking", "+6285799999999").dial().verbs == ["Reject"]
    jobs.run()
    assert len(twilio_api.requests) == 1 and len(at_api.requests) == 1


def test_the_throttle_lasts_an_hour(services):
    assert callback.request(services, "twilio", CALLER)
    assert not callback.request(services, "twilio", CALLER)
    assert 3590 < services.redis.ttl(callback.throttle_key(phone_index(CALLER))) <= 3600
    services.redis.delete(callback.throttle_key(phone_index(CALLER)))  # an hour later
    assert callback.request(services, "twilio", CALLER)


def test_a_withheld_number_is_answered(dial):
    assert dial("twilio", "anonymous").dial().verbs == ["Gather"]


@pytest.mark.parametrize("extra_settings", [{"missed_call_callback": False}])
def test_without_the_setting_every_call_is_answered(dial):
    assert dial("twilio").dial().verbs == ["Gather"]


@pytest.mark.parametrize("extra_settings", [{"missed_call_callback": True, "twilio_from": None}])
def test_a_provider_that_cannot_dial_out_answers(dial):
    assert dial("twilio").dial().verbs == ["Gather"]


def test_the_at_callback_goes_through_the_voice_api(dial, jobs, at_api, services):
    reply = dial("africastalking").dial()
    assert reply.verbs == ["Reject"]
    jobs.run()
    (seen,) = at_api.requests
    assert seen.path == "/call"
    assert seen.form == {"username": "pengaduan", "from": AT_NUMBER, "to": CALLER}


def test_the_at_session_of_a_callback_is_remembered(jobs, services, at_api):
    jobs.run()  # configures the worker runtime
    session_id = voice_jobs.call_back("africastalking", CALLER)
    assert session_id.startswith("ATVId_")
    assert (
        callback.outbound_phone(
            services.redis, services.settings.data_keys, "africastalking", session_id
        )
        == CALLER
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, PermanentSendError),
        (401, PermanentSendError),
        (429, RetryableSendError),
        (503, RetryableSendError),
    ],
)
def test_twilio_refusals_say_whether_to_retry(services, twilio_api, status, error):
    twilio_api.fail = (
        status,
        {"code": 21211, "message": "Invalid 'To' Phone Number", "status": status},
    )
    with pytest.raises(error):
        twilio_voice.place_call(services.settings, CALLER)


def test_an_at_call_that_is_not_queued_is_refused(services, at_api):
    at_api.fail = (
        200,
        {
            "entries": [{"phoneNumber": CALLER, "status": "InvalidPhoneNumber"}],
            "errorMessage": "None",
        },
    )
    with pytest.raises(PermanentSendError, match="InvalidPhoneNumber"):
        at_voice.place_call(services.settings, CALLER)


def test_an_at_server_error_is_retried(services, at_api):
    at_api.fail = (500, {"error": "boom"})
    with pytest.raises(RetryableSendError):
        at_voice.place_call(services.settings, CALLER)


def test_a_refused_callback_is_counted_and_not_retried(jobs, services, twilio_api, client):
    jobs.run()
    twilio_api.fail = (400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
    assert voice_jobs.call_back("twilio", CALLER) is None
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'pengaduan_voice_callbacks_total{outcome="failed",provider="twilio"} 1.0' in metrics


def test_an_unknown_provider_is_refused(jobs):
    with pytest.raises(ValueError, match="unknown provider"):
        voice_jobs.call_back("carrier-pigeon", CALLER)


def test_unconfigured_providers_do_not_dial(services):
    from dataclasses import replace

    bare = replace(services.settings, twilio_from=None, at_voice_number=None)
    with pytest.raises(PermanentSendError):
        twilio_voice.place_call(bare, CALLER)
    with pytest.raises(PermanentSendError):
        at_voice.place_call(bare, CALLER)
