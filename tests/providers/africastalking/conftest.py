"""Africa's Talking: SMS against the fake AT API (the fixtures of tests/providers/conftest.py),
and the voice fixtures its voice tests use with `voice_settings`."""

from fakes.voice_plugin import *  # noqa: F403 - the voice fixtures
