"""Voice tests: the app with both providers configured against local fake APIs, Twilio
signatures and the AT token switched on (fixtures in `fakes.voice_plugin`, shared with the
providers' voice tests under tests/providers/)."""

from __future__ import annotations

import pytest
from fakes.voice_plugin import *  # noqa: F403 - the voice fixtures
from fakes.voice_plugin import (  # noqa: F401 - imported from here by this folder's tests
    AT_NUMBER,
    AT_TOKEN,
    CALLER,
    TWILIO_TOKEN,
    case_of_call,
    reference_of_call,
    session_of_call,
)


@pytest.fixture
def settings_overrides(voice_settings) -> dict:
    return voice_settings
