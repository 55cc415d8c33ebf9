"""SMS tests run against real Redis and the real database, with both providers' real SDKs
talking to the local fakes."""

from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
