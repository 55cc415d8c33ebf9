"""Alembic migrations, run programmatically (`pengaduan db upgrade`, and `serve` on SQLite)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from .datakeys import DataKeys

MIGRATIONS = Path(__file__).parent / "migrations"


def config(url: str, keys: DataKeys | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    cfg.attributes["data_keys"] = keys
    return cfg


def upgrade(url: str, revision: str = "head", keys: DataKeys | None = None) -> None:
    """Bring the schema to `revision`; `keys` encrypt what an older version stored plain."""
    command.upgrade(config(url, keys), revision)


def current(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from .db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
