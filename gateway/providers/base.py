"""What a provider adapter offers the rest of the service.

A new provider is one package whose `__init__` defines `PROVIDER = Provider(...)` naming every
capability it has, and one line in the registry (`gateway/providers/__init__.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from flask import Blueprint

    from casebridge.messaging import Sender
    from casebridge.settings import Settings

    from ..services import Services


@dataclass(frozen=True)
class Provider:
    name: str
    blueprints: tuple[Blueprint, ...] = ()
    """Its webhook routes (inbound SMS, delivery reports, USSD, voice)."""
    make_sender: Callable[[Settings], Sender | None] | None = None
    """Its outbound SMS sender, or None when it is not configured."""
    health: Callable[[Services], dict[str, Any] | None] | None = None
    """Extra state for `/healthz` (and `/metrics`), e.g. when a gateway phone was last seen;
    a result with `"ok": False` turns `/healthz` into a warning, not a 503."""
    cli: click.Group | None = None
    """Extra commands under `pengaduan <name> …`."""
    metrics: Callable[[Services], Iterable[Any]] | None = None
    """Extra Prometheus metric families collected at scrape time."""
    place_call: Callable[[Settings, str], str] | None = None
    """Its voice line calls a number back (the missed-call callback); returns the call id."""
    fetch_recording: Callable[[Settings, str], tuple[bytes, str]] | None = None
    """Downloads a recording it holds: its bytes and content type."""
    settings: tuple[str, ...] = field(default=())
    """The environment settings it reads, for the README and `pengaduan` diagnostics."""
