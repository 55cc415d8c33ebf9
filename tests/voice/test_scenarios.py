"""Every call scenario in `tests/scenarios/voice/*.yaml`, replayed by the scenario runner
against the app, both providers' fake APIs, real Redis and the database."""

from __future__ import annotations

import pytest
from scenarios.runner import files, load, replay

from .driver import VoiceDriver

SCENARIOS = files("voice")


@pytest.fixture
def extra_settings(path) -> dict:
    return load(path).get("settings") or {}


@pytest.mark.parametrize("path", SCENARIOS)
def test_call_scenario(path, dial, services, jobs, orgs, make_case, twilio_api, at_api):
    apis = {"twilio": twilio_api, "africastalking": at_api}
    replay(path, VoiceDriver(dial, services, jobs, make_case, apis), services)


def test_there_are_scenarios_for_both_providers():
    providers = {load(param.values[0])["provider"] for param in SCENARIOS}
    assert providers == {"twilio", "africastalking"}
