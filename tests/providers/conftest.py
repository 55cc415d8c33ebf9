"""Provider adapter tests: real SDKs against the local fakes."""

from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
