"""The phone's password, its signing key, the signatures and the PIN never reach the logs."""

from __future__ import annotations

import base64
import logging
import re

import time_machine

from casebridge.models import utcnow

from .conftest import KEY, LOGIN, PASSWORD

REPORTER = "+6281299990013"


def test_no_secret_in_any_log_line(phone, services, sms_jobs, orgs, fake_phone, caplog):
    caplog.set_level(logging.DEBUG)
    fake_phone.fail_next(1, 500)  # a question fails once and is logged as a retry
    signatures = []
    with time_machine.travel(utcnow(), tick=True) as traveller:
        for text in ("LAPOR paspor ditahan di Hong Kong", "1", "Ani", "1", "Banyuwangi", "1"):
            traveller.shift(40)
            response = phone.received(REPORTER, text)
            assert response.status_code == 204
            signatures.append(response.request.headers["X-Signature"])
            sms_jobs.tick()
            sms_jobs.run()
        phone.received(REPORTER, "LAPOR", key="wrong-key")  # refused, and not logged with its key
    confirmation = next(m for m in fake_phone.sent if "PIN" in m["message"])["message"]
    pin = re.search(r"PIN: (\d{4})", confirmation).group(1)
    assert any(r.name.startswith("urllib3") for r in caplog.records), "HTTP logging was captured"

    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    basic = base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
    for secret in (PASSWORD, KEY, basic, confirmation, f"PIN: {pin}", *signatures):
        assert secret not in logged
