"""The provider registry: every adapter the service knows, by name."""

from __future__ import annotations

import importlib
from functools import cache

from casebridge.messaging import Sender
from casebridge.settings import Settings

from .base import Provider

MODULES = ("simulator", "africastalking", "twilio")


@cache
def all_providers() -> tuple[Provider, ...]:
    return tuple(importlib.import_module(f"{__name__}.{m}").PROVIDER for m in MODULES)


def get(name: str) -> Provider | None:
    return next((p for p in all_providers() if p.name == name), None)


def build_senders(settings: Settings) -> dict[str, Sender]:
    """One sender per configured provider, handed to the workers when they start."""
    senders: dict[str, Sender] = {}
    for provider in all_providers():
        if provider.make_sender is not None:
            sender = provider.make_sender(settings)
            if sender is not None:
                senders[provider.name] = sender
    return senders
