"""`pengaduan simulate ussd|call`: terminal phones that drive the real HTTP endpoints."""

from __future__ import annotations

import click

from ..optional import optional_import


@click.group("simulate")
def command() -> None:
    """Act as a phone against a running service (for trainers, and for testing)."""


for _name in ("simulate_ussd", "simulate_call"):
    _module = optional_import(f"{__package__}.{_name}")
    if _module is not None:
        command.add_command(_module.command)
