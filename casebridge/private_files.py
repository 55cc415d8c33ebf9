"""Files only their owner may read: the instance folder, the SQLite database, the generated
secret key. Reports and the key that guards their PINs never sit readable by other users."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
KEY_WAIT_SECONDS = 5.0


class PrivateFileError(OSError):
    """A private file cannot be used as it is (an empty key file)."""


def folder(path: Path) -> Path:
    """Create `path` (and its parents) if missing; the folder itself only for its owner."""
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened
    return path


def file(path: Path) -> Path:
    """Create the empty file `path` for its owner only, unless it exists (a SQLite database
    then takes its permissions, its journal and WAL files too)."""
    folder(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    return path


def read_or_create_key(
    path: Path, wait: float = KEY_WAIT_SECONDS, make: Callable[[], str] | None = None
) -> str:
    """The secret in `path`, generated (by `make`) if the file does not exist. Safe when many
    processes start at once: the key is written to a temporary file and linked into place
    whole, so every process reads the same, complete key."""
    folder(path.parent)
    deadline = time.monotonic() + wait
    while True:
        try:
            key = path.read_text().strip()
        except FileNotFoundError:
            _publish(path, make() if make else secrets.token_urlsafe(48))
            continue
        if key:
            return key
        if time.monotonic() > deadline:  # left so by an older version that crashed mid-write
            raise PrivateFileError(
                f"the key file {path} is empty: delete it (a new key is generated) "
                "or set the key in the environment"
            )
        time.sleep(0.05)


def _publish(path: Path, key: str) -> None:
    """Put `key` at `path` in one step unless another process did first."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: read its key
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def replace(path: Path, data: bytes | str, keep: Callable[[], bool] | None = None) -> bool:
    """Write `data` to `path` in one step (a temporary file renamed over it), owner-only.
    `keep`, asked once the data is on disk, may call it off (False: `path` is left as it was);
    returns whether `path` was replaced."""
    folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep is not None and not keep():
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True
