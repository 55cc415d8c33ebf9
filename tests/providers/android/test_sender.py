"""The phone's sender uses the official client against the fake phone: the request it makes,
the SIM and phone it picks, and what each answer means for the outbox."""

from __future__ import annotations

import base64
import socket

import pytest
from fakes.android_phone import DEVICE_ID

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError
from casebridge.settings import Settings
from gateway.providers import android

from .conftest import LOGIN, PASSWORD, ROUTE

PHONE = "+6281234567890"


def sms(our_number: str | None = None, to: str = PHONE) -> OutboundSms:
    return OutboundSms(7, to, "No 4821-7730: diterima lembaga.", our_number)


@pytest.fixture
def sender(services) -> android.AndroidSender:
    return android.make_sender(services.settings)


def test_sends_through_the_client_to_the_configured_url(sender, fake_phone):
    result = sender.send(sms())
    assert result.status == "sent" and result.provider_message_id == fake_phone.sent[-1]["id"]
    call = fake_phone.requests[-1]
    assert (call.method, call.path) == ("POST", "/messages")
    basic = base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
    assert call.headers["Authorization"] == f"Basic {basic}"
    assert fake_phone.sent[-1] == {
        "to": PHONE,
        "from": "sim:default",
        "message": "No 4821-7730: diterima lembaga.",
        "id": result.provider_message_id,
        "device": None,
        "delivery_report": True,
    }


def test_a_reply_leaves_through_the_phone_and_sim_written_to(sender, fake_phone):
    sender.send(sms(ROUTE))
    assert fake_phone.sent[-1]["from"] == "sim:2" and fake_phone.sent[-1]["device"] == DEVICE_ID


def test_a_device_the_relay_no_longer_knows_falls_back_to_any(sender, fake_phone):
    fake_phone.fail_next(1, 400)
    assert sender.send(sms(ROUTE)).status == "sent"
    assert fake_phone.sent[-1]["from"] == "sim:2" and fake_phone.sent[-1]["device"] is None


@pytest.mark.parametrize(
    ("our_number", "expected"),
    [
        (None, (None, None)),
        ("sim:1", (1, None)),
        (f"sim:2@{DEVICE_ID}", (2, DEVICE_ID)),
        ("@Ey6ECgOkVVFjz3CL48B8C", (None, "Ey6ECgOkVVFjz3CL48B8C")),
        ("20880", (None, None)),  # another provider's number: the default SIM
        ("+15005550006", (None, None)),
    ],
)
def test_parse_route(our_number, expected):
    assert android.parse_route(our_number) == expected


@pytest.mark.parametrize(
    ("sim", "device", "expected"),
    [
        (2, DEVICE_ID, f"sim:2@{DEVICE_ID}"),
        (None, DEVICE_ID, f"@{DEVICE_ID}"),
        (1, None, "sim:1"),
        (None, None, None),
        (0, "", None),
        ("2", None, None),
        (True, None, None),
        (2, "d" * 60, "sim:2"),  # longer than the 40 characters our_number holds
    ],
)
def test_route(sim, device, expected):
    assert android.route(sim, device) == expected
    if expected is not None and len(str(device or "")) < 40:
        assert android.parse_route(expected) == (
            sim if isinstance(sim, int) and sim else None,
            device or None,
        )


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 401, 403, 404])
def test_http_errors_that_time_or_settings_fix_are_retried(sender, fake_phone, status):
    fake_phone.fail_next(1, status)
    with pytest.raises(RetryableSendError) as raised:
        sender.send(sms())
    assert raised.value.code == str(status) and f"HTTP {status}" in str(raised.value)
    assert sender.send(sms()).status == "sent"


@pytest.mark.parametrize("status", [400, 413, 422])
def test_a_refused_number_fails_now(sender, fake_phone, status):
    fake_phone.errors[PHONE] = status
    with pytest.raises(PermanentSendError) as raised:
        sender.send(sms())
    assert raised.value.code == str(status)
    assert PHONE not in str(raised.value) and "+62812****7890" in str(raised.value)


def test_a_recipient_the_phone_marks_failed_fails_now(sender, fake_phone):
    fake_phone.states[PHONE] = "Failed"
    with pytest.raises(PermanentSendError, match="SIM card not ready"):
        sender.send(sms())


def test_a_phone_that_is_off_is_retried(services):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.load(
        env={
            "ANDROID_GATEWAY_URL": f"http://127.0.0.1:{port}",
            "ANDROID_GATEWAY_LOGIN": LOGIN,
            "ANDROID_GATEWAY_PASSWORD": PASSWORD,
        },
        instance_dir=services.settings.instance_dir,
    )
    with pytest.raises(RetryableSendError, match="network: ConnectionError"):
        android.make_sender(settings).send(sms())


def test_a_phone_that_stops_answering_is_retried(sender, fake_phone, monkeypatch):
    monkeypatch.setattr(android.sender, "TIMEOUT", (1, 0.2))
    fake_phone.delay = 1
    with pytest.raises(RetryableSendError, match="network: ReadTimeout"):
        sender.send(sms())


def test_an_unreadable_answer_is_retried(sender, fake_phone, monkeypatch):
    monkeypatch.setattr(fake_phone, "failure", lambda status: ("<html>captive portal</html>", 200))
    fake_phone.fail_next(1, 200)
    with pytest.raises(RetryableSendError, match="unreadable answer"):
        sender.send(sms())


@pytest.mark.parametrize(
    "missing", ["android_gateway_url", "android_gateway_login", "android_gateway_password"]
)
def test_no_sender_without_url_login_and_password(services, missing):
    from dataclasses import replace

    assert android.make_sender(replace(services.settings, **{missing: None})) is None


def test_the_sender_never_shows_the_password(sender):
    assert PASSWORD not in repr(sender)


def test_the_simulator_stands_in_for_a_phone_not_configured(services):
    from dataclasses import replace

    from gateway.providers.registry import build_senders
    from gateway.providers.simulator import SimulatorSender

    bare = replace(services.settings, android_gateway_url=None, simulator_enabled=True)
    assert isinstance(build_senders(bare)["android"], SimulatorSender)
    assert isinstance(build_senders(services.settings)["android"], android.AndroidSender)
