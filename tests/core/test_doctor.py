"""`pengaduan doctor` names each problem with the setting that fixes it, and fails when one
blocks a pilot."""

from __future__ import annotations

import socketserver
import threading

import pytest
from click.testing import CliRunner

from casebridge import datakeys
from casebridge.datakeys import DataKeys
from casebridge.models import Reporter
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_KEYS

SECRETS = {
    "SECRET_KEY": "x" * 40,
    "DATA_KEY": TEST_DATA_KEY,
    "PUBLIC_BASE_URL": "https://pengaduan.example.org",
    "AT_USERNAME": "pengaduan",
    "AT_API_KEY": "atsk_x",
    "AT_WEBHOOK_TOKEN": "t" * 32,
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "a" * 32,
}


@pytest.fixture
def doctor(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SIMULATOR_ENABLED": "",
        "ALLOW_UNSIGNED_WEBHOOKS": "",
        "SMTP_HOST": "",
    }

    def run(**env):
        return CliRunner().invoke(main, ["doctor"], env={**base, **env}, catch_exceptions=False)

    return run


def test_a_deployment_ready_for_a_pilot_passes(doctor):
    result = doctor(**SECRETS)
    assert result.exit_code == 0, result.output
    assert "ready for a pilot" in result.output or "nothing blocks" in result.output


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"AT_WEBHOOK_TOKEN": ""}, "AT_WEBHOOK_TOKEN"),
        ({"TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"PUBLIC_BASE_URL": "http://pengaduan.example.org"}, "PUBLIC_BASE_URL"),
        ({"SIMULATOR_ENABLED": "true"}, "SIMULATOR_ENABLED"),
        ({"ALLOW_UNSIGNED_WEBHOOKS": "true"}, "ALLOW_UNSIGNED_WEBHOOKS"),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "REDIS_URL"),
        ({"ANDROID_GATEWAY_URL": "http://10.0.0.5:8080"}, "ANDROID_WEBHOOK_KEY"),
        ({"DATA_KEY": ""}, "DATA_KEY"),
        ({"DATA_KEY": "not-a-key"}, "DATA_KEY"),
        ({"DATA_KEY": f"{TEST_DATA_KEY},{TEST_DATA_KEY[:20]}"}, "DATA_KEY"),
    ],
)
def test_each_problem_names_its_setting_and_blocks(doctor, change, names):
    result = doctor(**{**SECRETS, **change})
    assert result.exit_code == 1, result.output
    assert names in result.output and "block a pilot" in result.output


class _PlainSmtp(socketserver.StreamRequestHandler):
    """An SMTP server that offers no TLS."""

    def handle(self):
        self.wfile.write(b"220 plain ESMTP\r\n")
        for line in self.rfile:
            if line[:4].upper() in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-plain\r\n250 AUTH PLAIN\r\n")
            elif line[:4].upper() == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


def test_mail_without_tls_blocks(doctor):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _PlainSmtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = str(server.server_address[1])
        result = doctor(**SECRETS, SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    finally:
        server.shutdown()
        server.server_close()
    assert (
        result.exit_code == 1 and "offers no TLS" in result.output and "SMTP_HOST" in result.output
    )


WHATSAPP = {
    "WHATSAPP_TOKEN": "EAAG" + "x" * 40,
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
    "WHATSAPP_APP_SECRET": "s" * 32,
    "WHATSAPP_VERIFY_TOKEN": "v" * 32,
    "WHATSAPP_TEMPLATE_STATUS": "pengaduan_status",
}


def test_whatsapp_set_up_fully_passes(doctor):
    result = doctor(**SECRETS, **WHATSAPP)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"WHATSAPP_APP_SECRET": ""}, "WHATSAPP_APP_SECRET"),
        ({"WHATSAPP_PHONE_NUMBER_ID": ""}, "WHATSAPP_PHONE_NUMBER_ID"),
        ({"WHATSAPP_VERIFY_TOKEN": ""}, "WHATSAPP_VERIFY_TOKEN"),
        ({"WHATSAPP_API_URL": "http://graph.example"}, "WHATSAPP_API_URL"),
        ({"WHATSAPP_SESSION_HOURS": "48"}, "WHATSAPP_SESSION_HOURS"),
        ({"MAX_MEDIA_BYTES": "0"}, "MAX_MEDIA_BYTES"),
    ],
)
def test_each_whatsapp_problem_blocks(doctor, change, names):
    result = doctor(**{**SECRETS, **WHATSAPP, **change})
    assert result.exit_code == 1, result.output
    assert names in result.output and "block a pilot" in result.output


def test_no_template_is_worth_knowing_but_does_not_block(doctor):
    result = doctor(**{**SECRETS, **WHATSAPP, "WHATSAPP_TEMPLATE_STATUS": ""})
    assert result.exit_code == 0, result.output
    assert "WHATSAPP_TEMPLATE_STATUS" in result.output


def test_a_missing_data_key_says_how_to_make_one(doctor):
    result = doctor(**{**SECRETS, "DATA_KEY": ""})
    assert result.exit_code == 1 and "no DATA_KEY" in result.output
    assert "secrets.token_bytes(32)" in result.output  # the command that generates one


def test_data_under_a_key_the_keyring_lacks_blocks(doctor, services):
    with services.db.session() as s:
        s.add(Reporter(phone="+6281234567890", name="Sri"))
    other = datakeys.generate()
    result = doctor(**{**SECRETS, "DATA_KEY": other})
    assert result.exit_code == 1, result.output
    assert f"data key {TEST_KEYS.current_id}" in result.output
    assert "cannot be read" in result.output and "reporters 2" in result.output


def test_data_still_under_an_older_key_is_an_unfinished_rotation(doctor, services):
    with services.db.session() as s:
        s.add(Reporter(phone="+6281234567890", name="Sri"))
    new = datakeys.generate()
    result = doctor(**{**SECRETS, "DATA_KEY": f"{new},{TEST_DATA_KEY}"})
    assert result.exit_code == 0, result.output
    assert "rotation is unfinished" in result.output and "pengaduan keys rotate" in result.output
    assert DataKeys.from_text(new).current_id not in result.output  # nothing under the new one


def test_data_under_the_current_key_is_no_problem(doctor, services):
    with services.db.session() as s:
        s.add(Reporter(phone="+6281234567890", name="Sri"))
    result = doctor(**SECRETS)
    assert result.exit_code == 0 and "data key" not in result.output, result.output
