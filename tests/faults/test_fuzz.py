"""Fuzzing every webhook parser and the keyword engine: never a 500, no exception escapes,
nothing is written for invalid input, and oversized bodies are refused before they are read."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from fakes.plugin import AT_TOKEN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from casebridge.models import Case, Intake, Message
from gateway.sms import keywords

FIELDS = {
    "/sms/africastalking": ["from", "to", "text", "id", "date", "linkId", "networkCode"],
    "/sms/africastalking/delivery": ["id", "status", "failureReason", "phoneNumber"],
    "/ussd/africastalking": ["sessionId", "serviceCode", "phoneNumber", "networkCode", "text"],
    "/ussd/africastalking/events": ["sessionId", "status", "hopsCount", "durationInMillis"],
    "/voice/africastalking": [
        "isActive",
        "sessionId",
        "callerNumber",
        "dtmfDigits",
        "recordingUrl",
    ],
    "/sms/twilio": ["MessageSid", "From", "To", "Body"],
    "/sms/twilio/status": ["MessageSid", "MessageStatus", "ErrorCode"],
    "/voice/twilio": ["CallSid", "From", "To", "Digits", "CallStatus"],
}
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80) | st.sampled_from(
    ["", "+6281234567890", "*", "1*2*", "STOP", "0", "99999", "<x>&'\""]
)
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def settings_overrides(provider_settings):
    return {**provider_settings, "twilio_auth_token": None}  # fuzz the parsers, not signatures


def rows(services) -> tuple[int, ...]:
    with services.db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Message, Intake, Case))


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_random_forms_never_break_a_webhook(client, services, orgs, path):
    fields = st.sampled_from(FIELDS[path] + ["x", "text[]", ""])

    @FAST
    @given(form=st.dictionaries(fields, TEXT, max_size=6))
    def check(form):
        before = rows(services)
        resp = client.post(f"{path}?{urlencode({'token': AT_TOKEN})}", data=form)
        assert resp.status_code < 500, (path, form, resp.get_data(as_text=True)[:200])
        if resp.status_code >= 400:
            assert rows(services) == before, "a refused request wrote something"

    check()


@FAST
@given(body=st.binary(max_size=300))
def test_random_android_bodies_are_refused_without_a_trace(client, services, body):
    before = rows(services)
    resp = client.post(
        "/sms/android", data=body, headers={"X-Signature": "0" * 64, "X-Timestamp": "1"}
    )
    assert resp.status_code in (400, 403)
    assert rows(services) == before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


def test_random_json_reports_are_400_and_write_nothing(client, services, api_key):
    headers = {"Authorization": f"Bearer {api_key('SBMI-BWI')}"}

    @FAST
    @given(body=JSON)
    def check(body):
        before = rows(services)
        resp = client.post(
            "/api/v1/reports",
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        assert resp.status_code in (201, 400), resp.get_data(as_text=True)[:200]
        if resp.status_code == 400:
            assert rows(services) == before

    check()


@settings(max_examples=300, deadline=None)
@given(text=TEXT, caseworker=st.booleans())
def test_the_keyword_engine_takes_any_text(text, caseworker):
    keywords.parse(text, caseworker=caseworker)
    keywords.split_ref(text)
    keywords.language(text)


@pytest.mark.parametrize(
    "path", sorted(FIELDS) + ["/sms/android", "/api/v1/reports", "/voice/twilio/step"]
)
def test_oversized_bodies_are_refused_early(client, services, path):
    resp = client.post(
        f"{path}?{urlencode({'token': AT_TOKEN})}",
        data=b"x=" + b"a" * (2 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 413
    assert rows(services) == (0, 0, 0)
