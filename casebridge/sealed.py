"""Personal data at rest outside the database: Redis values and files on disk, sealed under
the data keys (`casebridge.datakeys`).

A Redis value that no key here opens (its key was dropped after a rotation, or it is damaged)
reads as absent: what follows behaves as after a Redis restart. A file is written whole
(temporary file renamed into place) and owner-only; a file without the `PGD1` header, written
before files were sealed, is read as it is."""

from __future__ import annotations

from pathlib import Path

from . import private_files
from .datakeys import FILE_MAGIC, DataKeyError, DataKeys


def open_text(keys: DataKeys, raw: bytes | str | None) -> str | None:
    """The text `keys.encrypt` sealed into a Redis value, or None (absent or not ours)."""
    if raw is None:
        return None
    try:
        return keys.decrypt(raw.decode("ascii") if isinstance(raw, bytes) else raw)
    except (DataKeyError, UnicodeDecodeError):
        return None


def open_bytes(keys: DataKeys, raw: bytes | None) -> bytes | None:
    """The bytes `keys.seal` sealed into a Redis value, or None (absent or not ours)."""
    if not raw or not isinstance(raw, bytes):
        return None
    try:
        return keys.unseal(raw)
    except DataKeyError:
        return None


def write_file(path: Path, data: bytes, keys: DataKeys) -> Path:
    """Write `data` sealed to `path` in one step, readable by its owner only."""
    private_files.replace(path, keys.seal(data))
    return path


def read_file(path: Path, keys: DataKeys) -> bytes:
    """The plain content of a file `write_file` wrote (or of an older, unsealed one);
    DataKeyError when it is sealed under a key this keyring does not hold, or damaged."""
    blob = path.read_bytes()
    return keys.unseal(blob) if blob.startswith(FILE_MAGIC) else blob
