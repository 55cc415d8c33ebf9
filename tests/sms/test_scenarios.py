"""Every SMS dialogue in tests/scenarios/sms/, replayed through the real webhooks, real Redis,
the real database, the RQ jobs and both providers' real SDKs talking to the local fakes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from casebridge.models import Caseworker

from .scenario import Runner

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "sms"


def _scenarios() -> list:
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        found.append(pytest.param(yaml.safe_load(path.read_text(encoding="utf-8")), id=path.stem))
    return found


@pytest.mark.parametrize("scenario", _scenarios())
def test_scenario(scenario, client, services, sms_jobs, orgs, fake_at, fake_twilio):
    with services.db.session() as s:
        caseworkers = set(s.scalars(select(Caseworker.phone)))
    fakes = {"africastalking": fake_at, "twilio": fake_twilio}
    Runner(scenario, client, services, sms_jobs, fakes, caseworkers).run()
