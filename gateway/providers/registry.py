"""The provider registry: every adapter the service knows, by name."""

from __future__ import annotations

from casebridge.messaging import Sender
from casebridge.settings import Settings
from workers.runtime import VoiceLine

from . import africastalking, android, simulator, twilio, whatsapp
from .base import Provider

PROVIDERS = (
    simulator.PROVIDER,
    africastalking.PROVIDER,
    twilio.PROVIDER,
    android.PROVIDER,
    whatsapp.PROVIDER,
)
"""Every provider the service knows: a new one is a package and a line here."""


def all_providers() -> tuple[Provider, ...]:
    return PROVIDERS


def get(name: str) -> Provider | None:
    return next((p for p in all_providers() if p.name == name), None)


def missing_webhook_secrets(settings: Settings) -> list[tuple[str, str]]:
    """(provider, setting) for each provider this deployment uses whose webhook secret is
    unset: its webhooks answer 403 unless ALLOW_UNSIGNED_WEBHOOKS is true."""
    return [
        (p.name, p.signed_by)
        for p in PROVIDERS
        if p.signed_by is not None
        and p.in_use is not None
        and p.in_use(settings)
        and not getattr(settings, p.signed_by.lower())
    ]


def voice_lines() -> dict[str, VoiceLine]:
    """The voice line of each provider that has one, for the workers."""
    return {
        p.name: VoiceLine(p.place_call, p.fetch_recording)
        for p in PROVIDERS
        if p.place_call is not None and p.fetch_recording is not None
    }


def media_fetchers(settings: Settings) -> dict:
    """How each provider that carries files downloads one, for the workers; in simulator (or
    demo) mode the files the simulator's phone sent come from the instance folder."""
    from .simulator import SimulatedMedia

    stand_in = settings.simulator_enabled or settings.demo
    return {
        p.name: SimulatedMedia(p.fetch_media) if stand_in else p.fetch_media
        for p in PROVIDERS
        if p.fetch_media is not None
    }


def build_senders(settings: Settings) -> dict[str, Sender]:
    """One sender per configured provider, handed to the workers when they start.

    In simulator (or demo) mode a provider without credentials delivers to the simulator's
    inboxes instead, so a reply to someone who "wrote to" that provider still arrives; one
    with credentials keeps messages to the training range in those inboxes too."""
    from .simulator import SimulatorSender, TrainingRangeSender

    senders: dict[str, Sender] = {}
    stand_in = settings.simulator_enabled or settings.demo
    for provider in all_providers():
        sender = provider.make_sender(settings) if provider.make_sender is not None else None
        if sender is None and stand_in:
            sender = SimulatorSender()
        elif sender is not None and stand_in and provider.name != simulator.NAME:
            sender = TrainingRangeSender(sender, settings.simulator_phone_prefix)
        if sender is not None:
            senders[provider.name] = sender
    return senders
