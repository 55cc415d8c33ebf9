"""`pengaduan android connect` registers this service's webhooks on the phone, through the
official client, and replaces rather than duplicates them when run again."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from gateway.cli import main
from gateway.providers import android
from tests.conftest import TEST_DATA_KEY, TEST_SECRET

from .conftest import KEY, LOGIN, PASSWORD

PUBLIC = "https://pengaduan.example.org"
URL = PUBLIC + "/sms/android"


@pytest.fixture
def connect(services, fake_phone, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "PUBLIC_BASE_URL": PUBLIC,
        "ANDROID_GATEWAY_URL": fake_phone.url,
        "ANDROID_GATEWAY_LOGIN": LOGIN,
        "ANDROID_GATEWAY_PASSWORD": PASSWORD,
        "ANDROID_WEBHOOK_KEY": KEY,
    }

    def run(**changes):
        return CliRunner().invoke(main, ["android", "connect"], env={**env, **changes})

    return run


def registered(fake_phone) -> list[tuple[str, str, str]]:
    return sorted((h["event"], h["id"], h["url"]) for h in fake_phone.webhooks.values())


EXPECTED = sorted((event, hook_id, URL) for event, hook_id in android.WEBHOOK_IDS.items())


def test_connect_registers_the_five_webhooks_and_prints_them(connect, fake_phone):
    result = connect()
    assert result.exit_code == 0, result.output
    assert registered(fake_phone) == EXPECTED
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["event", "id", "url", "action"]
    for event, hook_id in android.WEBHOOK_IDS.items():
        assert any(line.split() == [event, hook_id, URL, "created"] for line in lines), lines


def test_connect_twice_replaces_rather_than_duplicates(connect, fake_phone):
    assert connect().exit_code == 0
    again = connect()
    assert again.exit_code == 0
    assert registered(fake_phone) == EXPECTED
    assert again.stdout.count("replaced") == 5 and "created" not in again.stdout


def test_connect_removes_registrations_made_by_hand_and_keeps_others(connect, fake_phone):
    fake_phone.webhooks["manual"] = {"id": "manual", "url": URL, "event": "sms:received"}
    fake_phone.webhooks["crm"] = {
        "id": "crm",
        "url": "https://crm.example.org/in",
        "event": "sms:received",
    }
    assert connect().exit_code == 0
    assert registered(fake_phone) == sorted(
        [*EXPECTED, ("sms:received", "crm", "https://crm.example.org/in")]
    )


def test_a_changed_public_url_moves_the_webhooks(connect, fake_phone):
    assert connect(PUBLIC_BASE_URL="https://old.example.org").exit_code == 0
    assert connect().exit_code == 0
    assert registered(fake_phone) == EXPECTED


@pytest.mark.parametrize(
    "missing", ["ANDROID_GATEWAY_URL", "ANDROID_GATEWAY_LOGIN", "ANDROID_GATEWAY_PASSWORD"]
)
def test_connect_says_which_settings_are_missing(connect, fake_phone, missing):
    result = connect(**{missing: ""})
    assert result.exit_code == 1
    assert f"{missing} not set" in result.output and "Home tab" in result.output
    assert fake_phone.requests == []


def test_wrong_password_is_said_plainly(connect, fake_phone):
    result = connect(ANDROID_GATEWAY_PASSWORD="wrong")
    assert result.exit_code == 1 and "the phone refused: HTTP 401" in result.output
    assert "wrong" not in result.output.replace("the phone refused", "")


def test_an_unreachable_phone_is_said_plainly(connect):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = connect(ANDROID_GATEWAY_URL=f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert f"could not reach ANDROID_GATEWAY_URL http://127.0.0.1:{port}" in result.output


def test_connect_warns_about_a_missing_key_and_plain_http(connect, fake_phone):
    result = connect(ANDROID_WEBHOOK_KEY="", PUBLIC_BASE_URL="http://192.168.1.20:5000")
    assert result.exit_code == 0
    assert "ANDROID_WEBHOOK_KEY is not set" in result.stderr
    assert "only calls HTTPS" in result.stderr
    assert len(fake_phone.webhooks) == 5
