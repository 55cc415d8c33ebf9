"""Reading a database the way a thief would: the raw bytes of a SQLite file (with its `-wal` and
`-shm` files) and the text of `pg_dump`, searched for values that must not be there."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casebridge.migrate import upgrade


def phone_forms(e164: str) -> list[str]:
    """A number as a person or a provider may write it: +62812…, 62812…, 0812…, 812…"""
    digits = e164.lstrip("+")
    national = digits[2:]
    return [e164, digits, "0" + national, national]


def variants(values: Iterable[str]) -> list[bytes]:
    """Each value as UTF-8 bytes, as written, in lower case and in upper case."""
    found: list[bytes] = []
    for value in values:
        for form in (value, value.lower(), value.upper()):
            encoded = form.encode("utf-8")
            if encoded not in found:
                found.append(encoded)
    return found


def found_in(blobs: dict[str, bytes], values: Iterable[str]) -> dict[str, list[str]]:
    """Which of `values` (in any of their `variants`) each blob holds; empty when none."""
    needles = variants(values)
    hits = {}
    for name, blob in blobs.items():
        seen = [n.decode() for n in needles if n in blob]
        if seen:
            hits[name] = seen
    return hits


def sqlite_path(url: str) -> Path:
    return Path(url.split("///", 1)[1])


def sqlite_files(url: str) -> dict[str, bytes]:
    """The database file and its `-wal` and `-shm` files, as bytes (those that exist)."""
    path = sqlite_path(url)
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return {p.name: p.read_bytes() for p in files if p.exists()}


def checkpoint(engine) -> None:
    """Move everything in the write-ahead log into the database file."""
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def pg_dump(url: str, *options: str) -> bytes:
    """`pg_dump` of the database at `url` (plain SQL), as bytes."""
    parsed = make_url(url)
    command = ["pg_dump", "--no-owner", *options, "-h", parsed.host or "127.0.0.1"]
    command += ["-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    command += ["-d", parsed.database]
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    done = subprocess.run(command, env=env, capture_output=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout, "pg_dump wrote nothing"
    return done.stdout


@contextmanager
def postgres_database(server: str, prefix: str = "pengaduan_privacy_") -> Iterator[str]:
    """A fresh, migrated database on the PostgreSQL server `server`, dropped at the end."""
    base = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
