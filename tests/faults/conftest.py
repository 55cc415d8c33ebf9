"""Faults: retry storms, Redis and database outages, killed workers, fuzzed webhooks."""

from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
