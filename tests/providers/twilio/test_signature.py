"""Twilio webhooks need a valid `X-Twilio-Signature` when TWILIO_AUTH_TOKEN is set, checked with
the SDK's RequestValidator against PUBLIC_BASE_URL + path + the raw query string."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes.plugin import TWILIO_TOKEN
from fakes.webhooks import twilio_signature
from sqlalchemy import func, select

from casebridge.models import Message

PARAMS = {
    "MessageSid": "SM" + "a" * 32,
    "AccountSid": "AC" + "1" * 32,
    "From": "+85251234568",
    "To": "+85258001234",
    "Body": "LAPOR gaji belum dibayar",
}
BASE = "https://gw.example.org:8443"


@pytest.fixture
def settings_overrides(provider_settings):
    """Behind a proxy on a port: the public URL is not what the app sees."""
    return {**provider_settings, "public_base_url": BASE}


def post(client, params, signature, path="/sms/twilio", query=""):
    target = path + (f"?{query}" if query else "")
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    return client.post(target, data=params, headers=headers, base_url="http://10.0.0.5:8000")


def stored(services) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count(Message.id)).where(Message.direction == "in"))


def test_the_known_test_vector():
    """protocols.md B3: the SDK's validator is the one helper both sides use."""
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature(url, params, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_a_valid_signature_passes(client, services):
    response = post(client, PARAMS, twilio_signature(f"{BASE}/sms/twilio", PARAMS))
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert "<Response />" in response.get_data(as_text=True)
    assert stored(services) == 1


def test_a_tampered_body_is_refused(client, services):
    signature = twilio_signature(f"{BASE}/sms/twilio", PARAMS)
    response = post(client, {**PARAMS, "Body": "STOP"}, signature)
    assert response.status_code == 403
    assert stored(services) == 0


def test_an_added_parameter_is_refused(client, services):
    signature = twilio_signature(f"{BASE}/sms/twilio", PARAMS)
    assert post(client, {**PARAMS, "Extra": "1"}, signature).status_code == 403


def test_the_wrong_token_is_refused(client, services):
    signature = twilio_signature(f"{BASE}/sms/twilio", PARAMS, token="not-" + TWILIO_TOKEN)
    assert post(client, PARAMS, signature).status_code == 403
    assert stored(services) == 0


def test_a_missing_signature_is_refused(client, services):
    assert post(client, PARAMS, None).status_code == 403


def test_a_signature_for_another_host_is_refused(client):
    signature = twilio_signature("https://evil.example.org:8443/sms/twilio", PARAMS)
    assert post(client, PARAMS, signature).status_code == 403


def test_an_escaped_tilde_in_the_query_is_kept_as_sent(client, services):
    """werkzeug's request.url would turn %7E into ~ and break the signature."""
    query = "src=a%7Eb&x=1"
    signature = twilio_signature(f"{BASE}/sms/twilio?{query}", PARAMS)
    assert post(client, PARAMS, signature, query=query).status_code == 200
    decoded = twilio_signature(f"{BASE}/sms/twilio?src=a~b&x=1", PARAMS)
    assert (
        post(client, {**PARAMS, "MessageSid": "SM" + "b" * 32}, decoded, query=query).status_code
        == 403
    )


def test_the_status_callback_is_protected_too(client):
    params = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "delivered"}
    good = twilio_signature(f"{BASE}/sms/twilio/status", params)
    assert post(client, params, good, path="/sms/twilio/status").status_code == 204
    assert post(client, params, good + "x", path="/sms/twilio/status").status_code == 403


class TestDefaultPorts:
    """Twilio may sign with or without the default port; both validate (protocols.md B3)."""

    @pytest.fixture
    def settings_overrides(self, provider_settings):
        return {**provider_settings, "public_base_url": "https://gw.example.org:443"}

    def test_signed_without_the_port(self, client):
        signature = twilio_signature("https://gw.example.org/sms/twilio", PARAMS)
        assert post(client, PARAMS, signature).status_code == 200


@pytest.mark.parametrize(("allow", "status"), [(False, 403), (True, 200)])
def test_without_a_token_only_allow_unsigned_webhooks_lets_them_in(services, allow, status):
    from gateway.app import create_app

    settings = replace(services.settings, twilio_auth_token=None, allow_unsigned_webhooks=allow)
    client = create_app(services=replace(services, settings=settings)).test_client()
    assert post(client, PARAMS, None).status_code == status
