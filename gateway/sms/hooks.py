"""Wiring the SMS channel into a worker process (called from `gateway/cli/hooks.py`)."""

from __future__ import annotations

from workers import jobs

from ..services import Services
from .jobs import sweep


def install(services: Services) -> None:
    """Run the inbound-SMS sweeper on every tick of this process (idempotent)."""
    if sweep not in jobs.periodic_hooks:
        jobs.periodic_hooks.append(sweep)
