"""Twilio: SMS against the fake Twilio API (the fixtures of tests/providers/conftest.py), and the
voice fixtures its voice tests use with `voice_settings`."""

from fakes.voice_plugin import *  # noqa: F403 - the voice fixtures
