"""Every SMS dialogue in tests/scenarios/sms/, replayed by the scenario runner through the
real webhooks, real Redis, the real database, the RQ jobs and both providers' real SDKs
talking to the local fakes."""

from __future__ import annotations

import pytest
from scenarios.runner import files, replay

from .driver import SmsDriver


@pytest.mark.parametrize("path", files("sms"))
def test_scenario(path, client, services, sms_jobs, orgs, fake_at, fake_twilio):
    fakes = {"africastalking": fake_at, "twilio": fake_twilio}
    replay(path, SmsDriver(client, services, sms_jobs, fakes), services)
