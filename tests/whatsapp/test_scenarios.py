"""Every WhatsApp dialogue in tests/scenarios/whatsapp/, replayed by the scenario runner
through Meta's signed webhooks and Twilio's `whatsapp:` addresses, the real SDK and `requests`
talking to the fakes, real Redis, the real database and the RQ jobs."""

from __future__ import annotations

import pytest
from scenarios.runner import files, replay

from .driver import VIA, WhatsAppDriver


@pytest.mark.parametrize("path", files("whatsapp"))
def test_scenario(path, client, services, sms_jobs, orgs, fake_at, fake_twilio, fake_graph):
    fakes = {"africastalking": fake_at, "twilio": fake_twilio, VIA: fake_graph}
    replay(path, WhatsAppDriver(client, services, sms_jobs, fakes), services)
