"""No PIN, API key or auth token ever reaches the logs, whatever goes right or wrong."""

from __future__ import annotations

import logging
import re

import time_machine
from fakes.plugin import AT_API_KEY, AT_TOKEN, TWILIO_TOKEN
from fakes.webhooks import at_sms, twilio_sms

from casebridge.models import utcnow

REPORTER = "+85251234568"


def _dialogue(client, jobs, answers):
    with time_machine.travel(utcnow(), tick=True) as traveller:
        for text in answers:
            traveller.shift(30)
            twilio_sms(client, REPORTER, "+85258001234", text)
            jobs.run()


def test_no_secret_in_any_log_line(client, services, sms_jobs, orgs, fake_at, fake_twilio, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("twilio.http_client").setLevel(logging.DEBUG)
    fake_twilio.fail_next(1, 500)  # the first question fails and is logged as a retry
    _dialogue(
        client,
        sms_jobs,
        ["LAPOR paspor ditahan di Hong Kong", "1", "Ani", "1", "Banyuwangi", "1"],
    )
    sms_jobs.tick()
    sms_jobs.run()
    confirmation = next(m for m in fake_twilio.sent if "PIN" in m["message"])["message"]
    ref, pin = re.search(r"No: (\d{4}-\d{4}) PIN: (\d{4})", confirmation).groups()
    at_sms(client, "+6281299990001", "20880", f"STATUS {ref} {pin}")  # someone else, with the PIN
    at_sms(client, "+6281299990001", "20880", f"STATUS {ref} 0000")  # a wrong PIN
    fake_at.fail_next(2, 500)
    sms_jobs.run()
    assert any(r.name.startswith("twilio") for r in caplog.records), "SDK logging was captured"

    lines = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    logged = "\n".join(lines)
    for secret in (AT_API_KEY, TWILIO_TOKEN, AT_TOKEN, confirmation, f"PIN: {pin}"):
        assert secret not in logged
    if pin not in ref:
        assert not re.search(rf"(?<!\d){pin}(?!\d)", logged)
