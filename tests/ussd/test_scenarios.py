"""Whole USSD conversations as data (`tests/scenarios/ussd/*.yaml`), replayed by the scenario
runner against the app with real Redis and the database."""

from __future__ import annotations

import pytest
from scenarios.runner import files, replay

from .driver import UssdDriver

SCENARIOS = files("ussd")


@pytest.mark.parametrize("path", SCENARIOS)
def test_scenario(path, client, jobs, services, orgs):
    replay(path, UssdDriver(client, jobs, services), services)


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 9
