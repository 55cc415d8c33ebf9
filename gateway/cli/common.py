"""Small helpers the commands share."""

from __future__ import annotations

import click

from casebridge.db import Database
from casebridge.settings import Settings, SettingsError


def load_settings(create_instance: bool = False, secret: bool = True) -> Settings:
    """The settings, with the secret key. Only `serve` may create a new instance folder: any
    other command started in the wrong folder would otherwise work on an empty new database
    with a new secret key (which derives the PINs). `secret=False`: the command needs no key."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    missing = [] if create_instance else settings.missing_instance_files(secret)
    if missing:
        raise click.ClickException(
            f"no instance at {settings.instance_dir} (no {', '.join(p.name for p in missing)}): "
            "this command would start a new, empty one. Run it in the folder where "
            "`pengaduan serve` runs, or set INSTANCE_PATH to that instance folder "
            "(or DATABASE_URL and SECRET_KEY)."
        )
    if not secret:
        return settings
    try:
        return settings.with_secret()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def shared_redis_url(settings: Settings) -> str | None:
    """The Redis the service uses: `REDIS_URL`, else the embedded one of a `pengaduan serve`
    running on this instance; None when neither."""
    if settings.redis_url:
        return settings.redis_url
    from ..embedded_redis import running_url

    return running_url(settings.instance_dir)


def open_database(settings: Settings) -> Database:
    """The database, brought up to date first when it is SQLite."""
    try:
        keys = settings.data_keys
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    db = Database(settings.database_url, keys)
    if db.is_sqlite:
        from casebridge.migrate import upgrade

        upgrade(db.url, keys=keys)
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
