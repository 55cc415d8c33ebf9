"""`pengaduan keys`: the data keys (`DATA_KEY`) that personal data is encrypted under.
`rotate` re-encrypts everything under a new key while the service runs; `status` shows what
is under which key."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from casebridge import datakeys, private_files, rotation
from casebridge.datakeys import DataKeys
from casebridge.settings import Settings

from .common import load_settings, open_database, table

VERIFY_TRIES = 3
SETTLE_SECONDS = datakeys.RELOAD_SECONDS + 1.0
"""How long running processes get to read a changed keyring file before the work starts."""


def sealed_folders(settings: Settings) -> list[Path]:
    """Where sealed files live: attachments and voice recordings."""
    return [settings.media_dir, settings.instance_dir / "recordings"]


@click.group("keys")
def command() -> None:
    """The data keys personal data is encrypted under."""


@command.command("status")
def status() -> None:
    """The current key, and how many values and files are under each key."""
    settings = load_settings()
    keys = settings.data_keys
    db = open_database(settings)
    try:
        counts = rotation.census(db.engine)
    finally:
        db.dispose()
    files = rotation.file_census(sealed_folders(settings))
    click.echo(f"current key: {keys.current_id}")
    if len(keys.ids) > 1:
        click.echo(f"older keys (decrypt only): {', '.join(keys.ids[1:])}")
    rows = [
        (name, kid, _role(keys, kid), n)
        for name, per_key in counts.items()
        for kid, n in sorted(per_key.items())
    ]
    rows += [(name, "-", "not sealed", n) for name, n in [("files", files.pop(None, 0))] if n]
    rows += [("files", kid, _role(keys, kid), n) for kid, n in sorted(files.items())]
    click.echo(table(rows, ("table", "key", "state", "count")))
    old = sum(n for _, kid, role, n in rows if role in ("older key", "unknown key"))
    if old:
        click.echo(f"{old} value(s) or file(s) not under the current key: `pengaduan keys rotate`")


def _role(keys: DataKeys, kid: str) -> str:
    if kid == keys.current_id:
        return "current"
    if kid in keys.ids:
        return "older key"
    return "not encrypted" if kid == rotation.NOT_ENCRYPTED else "unknown key"


@command.command("rotate")
@click.option("--batch", default=rotation.BATCH, show_default=True, help="Rows per transaction.")
@click.option(
    "--settle",
    default=SETTLE_SECONDS,
    show_default=True,
    hidden=True,
    help="Seconds running processes get to read the new keyring before the work starts.",
)
def rotate(batch: int, settle: float) -> None:
    """Re-encrypt all personal data under a new key while the service runs (resumable).

    On embedded defaults the new key is made and the old one removed here; with DATA_KEY set,
    put the new key first (DATA_KEY=<new>,<old>) and restart the service first."""
    settings = load_settings()
    db = open_database(settings)
    try:
        if settings.data_key:
            _rotate_environment(settings, db.engine, batch)
        else:
            rotate_file(settings.data_key_file, db.engine, sealed_folders(settings), batch, settle)
    except rotation.RotationError as exc:
        raise click.ClickException(f"{exc}. The older key(s) are kept; run it again.") from exc
    finally:
        db.dispose()


def _rotate_environment(settings: Settings, engine, batch: int) -> None:
    keys = DataKeys.from_text(settings.data_key)
    if len(keys.ids) == 1:
        new = datakeys.generate()
        raise click.ClickException(
            "DATA_KEY holds one key: there is nothing to rotate to. A rotation goes like this:\n"
            f"  1. put a new key first, e.g. DATA_KEY={new},<the current key>\n"
            "     (this one was generated now; keep it as safe as the current one)\n"
            "  2. restart the service and every worker, so they encrypt under the new key\n"
            "  3. run `pengaduan keys rotate` again: it re-encrypts everything under the new key\n"
            "  4. then set DATA_KEY to the new key alone and restart again"
        )
    _work(engine, keys, sealed_folders(settings), batch)
    click.echo(
        f"every value is under key {keys.current_id}: remove the older key(s) from DATA_KEY "
        "(keep only the first) and restart the service and workers"
    )


def rotate_file(path: Path, engine, folders: list[Path], batch: int, settle: float) -> None:
    """The rotation on embedded defaults: a new key goes first in the instance's keyring file,
    everything is re-encrypted under it, then the older keys leave the file. A keyring file
    that already holds two keys is an interrupted rotation: it goes on towards the first. One
    rotation at a time (a lock beside the file); the older keys leave only once a last pass,
    after every process had time to finish what it began under them, finds nothing left."""
    with _only_rotation(path):
        texts = DataKeys.from_file(path).as_text().split()
        generated = len(texts) == 1
        if generated:
            texts = [datakeys.generate(), *texts]
            datakeys.write_keyring(path, texts)
        keys = DataKeys.from_text("\n".join(texts))
        if generated:
            click.echo(f"new key {keys.current_id} written first in {path}")
        else:
            click.echo(f"going on with an unfinished rotation to key {keys.current_id}")
        click.echo(f"waiting {settle:g} s for running processes to take the new key…")
        time.sleep(settle)
        _work(engine, keys, folders, batch)
        time.sleep(settle)  # a write begun under the old key just before is re-encrypted too
        late = rotation.Rotation(engine, keys, folders, batch).run()
        if late.rows or late.files:
            click.echo(f"{sum(late.rows.values()) + late.files} late value(s) re-encrypted")
        if not late.complete or rotation.pending(engine, keys, folders):
            raise rotation.RotationError("values arrived under an older key at the end")
        if path.read_text().split() != texts:
            raise click.ClickException(
                f"{path} changed while the rotation ran: it is left as it is; "
                "run `pengaduan keys status`, then `pengaduan keys rotate` again"
            )
        datakeys.write_keyring(path, texts[:1])
    click.echo(f"the older key(s) are removed from {path}: only key {keys.current_id} is needed")


@contextmanager
def _only_rotation(path: Path) -> Iterator[None]:
    """Hold the rotation lock beside the keyring file, or refuse: two rotations at once would
    each write their own new key."""
    private_files.folder(path.parent)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise click.ClickException(
                "another `pengaduan keys rotate` is running on this instance: let it finish"
            ) from None
        yield
    finally:
        os.close(fd)


def _work(engine, keys: DataKeys, folders: list[Path], batch: int) -> None:
    """Everything under `keys.current`, with a progress bar; then verification passes until
    one finds nothing left under an older key (what arrived meanwhile is done too)."""
    total = rotation.pending(engine, keys, folders)
    with click.progressbar(length=max(total, 1), label="re-encrypting") as bar:
        done = rotation.Rotation(engine, keys, folders, batch, progress=bar.update).run()
    left = rotation.pending(engine, keys, folders)
    for _ in range(VERIFY_TRIES):
        if not left or not done.complete:
            break
        again = rotation.Rotation(engine, keys, folders, batch).run()
        done.rows.update(again.rows)
        done.files += again.files
        done.unreadable = again.unreadable
        left = rotation.pending(engine, keys, folders)
    per_table = ", ".join(f"{t} {n}" for t, n in sorted(done.rows.items()) if n) or "none"
    click.echo(f"re-encrypted values: {per_table}; files: {done.files}")
    if done.indexes:
        click.echo(f"blind indexes computed again: {done.indexes}")
    if not done.complete or left:
        where = ", ".join(f"{t} {n}" for t, n in sorted(done.unreadable.items()))
        raise click.ClickException(
            f"{left} value(s) or file(s) are still not under key {keys.current_id}"
            + (f", {where} under a key this keyring does not hold" if where else "")
            + ": the older key(s) are kept. `pengaduan keys status` shows where they are."
        )
    click.echo("verified: nothing is left under an older key")
