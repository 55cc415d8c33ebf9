"""WhatsApp tests: Meta's Cloud API through the fake Graph API, and Twilio's `whatsapp:`
addresses through the fake Twilio, with real Redis, the real database and the RQ jobs."""

from datetime import UTC, datetime

import pytest
import time_machine
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures


@pytest.fixture
def settings_overrides(whatsapp_settings) -> dict:
    return whatsapp_settings


@pytest.fixture
def clock():
    """The clock, ticking from a fixed morning; `clock.shift(seconds)` moves it."""
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller
