"""`pengaduan simulate ussd|call`: terminal phones that drive the real HTTP endpoints."""

from __future__ import annotations

import click

from . import simulate_call, simulate_ussd


@click.group("simulate")
def command() -> None:
    """Act as a phone against a running service (for trainers, and for testing)."""


command.add_command(simulate_ussd.command)
command.add_command(simulate_call.command)
