"""`pengaduan db upgrade`."""

from __future__ import annotations

import click

from casebridge.migrate import current, upgrade
from casebridge.settings import SettingsError

from .common import load_settings


@click.group("db")
def command() -> None:
    """Database schema (Alembic migrations)."""


@command.command("upgrade")
@click.option(
    "--revision", default="head", show_default=True, help="The revision to stop at (Alembic id)."
)
def upgrade_cmd(revision: str) -> None:
    """Apply the database migrations, up to the newest unless --revision says otherwise."""
    settings = load_settings(secret=False)
    try:
        keys = settings.with_secret().data_keys
    except SettingsError:
        keys = None  # an empty database needs none; rows stored plain before are refused
    upgrade(settings.database_url, revision, keys=keys)
    click.echo(f"database at revision {current(settings.database_url)}")
