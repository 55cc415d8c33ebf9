"""Every dialogue in tests/scenarios/android/, replayed by the scenario runner through the
phone: its signed webhooks in, the official client out to the fake phone, real Redis, the real
database and the RQ jobs."""

from __future__ import annotations

import pytest
from scenarios.runner import files, replay

from .driver import VIA, PhoneDriver


@pytest.mark.parametrize("path", files("android"))
def test_scenario(path, client, services, sms_jobs, orgs, fake_at, fake_twilio, fake_phone, phone):
    fakes = {"africastalking": fake_at, "twilio": fake_twilio, VIA: fake_phone}
    driver = PhoneDriver(client, services, sms_jobs, fakes, phone=phone)
    replay(path, driver, services)
