"""The provider registry: every adapter the service knows, by name."""

from __future__ import annotations

from functools import cache

from casebridge.messaging import Sender
from casebridge.settings import Settings

from ..optional import optional_import
from .base import Provider

MODULES = ("simulator", "africastalking", "twilio", "android")


@cache
def all_providers() -> tuple[Provider, ...]:
    modules = (optional_import(f"{__name__}.{m}") for m in MODULES)
    return tuple(m.PROVIDER for m in modules if m is not None)


def get(name: str) -> Provider | None:
    return next((p for p in all_providers() if p.name == name), None)


def build_senders(settings: Settings) -> dict[str, Sender]:
    """One sender per configured provider, handed to the workers when they start.

    In simulator (or demo) mode a provider without credentials delivers to the simulator's
    inboxes instead, so a reply to someone who "wrote to" that provider still arrives."""
    from .simulator import SimulatorSender

    senders: dict[str, Sender] = {}
    stand_in = settings.simulator_enabled or settings.demo
    for provider in all_providers():
        sender = provider.make_sender(settings) if provider.make_sender is not None else None
        if sender is None and stand_in:
            sender = SimulatorSender()
        if sender is not None:
            senders[provider.name] = sender
    return senders
