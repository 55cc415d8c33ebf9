"""Small helpers the commands share."""

from __future__ import annotations

import click

from casebridge.db import Database
from casebridge.settings import Settings, SettingsError


def load_settings() -> Settings:
    try:
        return Settings.load().with_secret()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def open_database(settings: Settings) -> Database:
    """The database, brought up to date first when it is SQLite."""
    db = Database(settings.database_url)
    if db.is_sqlite:
        from casebridge.migrate import upgrade

        upgrade(db.url)
    return db


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    """A plain text table."""
    cells = [tuple(str(c) if c is not None else "-" for c in row) for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(out)
