"""A webhook receiver for the organisation SBMI-BWI, and the worker hooks installed."""

from __future__ import annotations

import pytest
from fakes.webhook_receiver import WebhookReceiver

from tests.forwarding.cases import set_channels


@pytest.fixture(scope="session")
def receiver_server():
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def receiver(receiver_server) -> WebhookReceiver:
    receiver_server.reset()
    return receiver_server


@pytest.fixture
def hooked(services, orgs, receiver) -> WebhookReceiver:
    """SBMI-BWI takes new cases by SMS and by webhook to the receiver."""
    set_channels(
        services, "SBMI-BWI", webhook_url=receiver.hook_url, webhook_secret=receiver.secret
    )
    return receiver
