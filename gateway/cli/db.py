"""`pengaduan db upgrade`."""

from __future__ import annotations

import click

from casebridge.migrate import current, upgrade

from .common import load_settings


@click.group("db")
def command() -> None:
    """Database schema (Alembic migrations)."""


@command.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_cmd(revision: str) -> None:
    """Apply migrations up to REVISION."""
    settings = load_settings()
    upgrade(settings.database_url, revision)
    click.echo(f"database at revision {current(settings.database_url)}")
