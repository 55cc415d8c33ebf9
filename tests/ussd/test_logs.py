"""Nothing secret reaches a log line: not the PIN shown on the last screen, not the webhook
token, not what the person typed."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.exc import OperationalError

from .phone import Phone

TOKEN = "tok-Xq7vW2pLr9"
TYPED = "Siti Rahmawati Secret"


@pytest.fixture
def settings_overrides():
    return {"at_webhook_token": TOKEN}


def test_no_pin_token_or_typed_text_in_logs(client, orgs, jobs, caplog, monkeypatch):
    import gateway.ussd.context as context

    caplog.set_level(logging.DEBUG)
    phone = Phone(client, session_id="ATUid_logcheck", token=TOKEN)
    phone.dial()
    phone.press("1", "1", TYPED, "1", "1", "2", "Jawa Timur", "Banyuwangi", "1", "1", "1", "1")
    real = context.submit_report

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is away"))

    monkeypatch.setattr(context, "submit_report", broken)
    phone.press("1")  # logged: the report could not be stored
    monkeypatch.setattr(context, "submit_report", real)
    pin = re.search(r"PIN: (\d{4})\n", phone.press("1")).group(1)
    phone.retry()
    phone.hang_up("Success")
    jobs.run()
    Phone(client, phone="not a phone", token=TOKEN).dial()  # logged: refused
    messages = [record.getMessage() for record in caplog.records]
    assert any("USSD report not stored" in m for m in messages)
    assert any("USSD hop refused" in m for m in messages)
    for message in messages:
        assert not re.search(rf"(?<!\d){pin}(?!\d)", message), message
        assert TOKEN not in message and TYPED not in message, message
