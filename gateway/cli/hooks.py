"""Wire optional parts into the workers of this process (forwarding, SLA checks, …)."""

from __future__ import annotations

from ..services import Services


def install(services: Services) -> None:
    """Nothing to add yet; later parts register their job hooks here."""
