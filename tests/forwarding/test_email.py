"""E-mail to an organisation's case address, only when SMTP is configured."""

from __future__ import annotations

import json
import smtplib

import pytest

from casebridge import refs
from tests.forwarding.cases import file_case, set_channels


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def has_extn(self, name):
        return False

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, message))
        return {}


@pytest.fixture
def settings_overrides():
    return {"smtp_host": "smtp.example.org", "smtp_port": 2525, "smtp_from": "gw@example.org"}


def test_case_is_mailed_with_its_data_when_smtp_is_configured(services, jobs, orgs, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    set_channels(services, "SBMI-BWI", email="kasus@sbmi.example.org")
    ref = file_case(services, jobs)
    [(host, port, message)] = FakeSMTP.sent
    assert (host, port) == ("smtp.example.org", 2525)
    assert message["To"] == "kasus@sbmi.example.org" and message["From"] == "gw@example.org"
    assert message["Subject"] == f"Kasus baru {refs.format_ref(ref)}"
    [attachment] = list(message.iter_attachments())
    data = json.loads(attachment.get_content())
    assert data["event"] == "case.assigned" and data["reference"] == refs.format_ref(ref)
