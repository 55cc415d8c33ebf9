"""`pengaduan serve` as a new user runs it: an empty folder, no Redis or database configured."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_redis_pids(folder: Path) -> set[int]:
    """redis-server processes working in this folder's instance (Redis chdirs to its data dir)."""
    found = set()
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmd = " ".join(proc.info.get("cmdline") or [])
            if "redis-server" in cmd and Path(proc.cwd()).is_relative_to(folder):
                found.add(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _commands_beside_serve(folder: Path, env: dict, exe: Path) -> subprocess.CompletedProcess:
    """Commands that need the service's Redis (ending a person's sessions, the phones'
    state) reach the embedded one of the `serve` running in this folder."""
    demo = Path(__file__).resolve().parents[2] / "gateway" / "demo" / "organisations.yaml"
    script = (
        f"{exe} orgs load {demo} && "
        f"{exe} users invite ana@example.org --org KOORD --role coordinator && "
        f"{exe} phones list && {exe} users disable ana@example.org"
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_on_a_bare_folder_answers_and_stops_cleanly(tmp_path: Path, stop_signal):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY")
    }
    exe = Path(sys.executable).with_name("pengaduan")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    body = json.load(r)
                    break
            except OSError:
                time.sleep(0.1)
        assert body == {"status": "ok", "database": "ok", "redis": "ok"}
        assert len(embedded_redis_pids(tmp_path)) == 1
        hop = urllib.parse.urlencode(
            {
                "sessionId": "ATUid_1",
                "serviceCode": "*123#",
                "phoneNumber": "+6281234567890",
                "text": "",
            }
        )
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/ussd/africastalking", hop.encode()
        ) as r:
            assert r.read().startswith(b"CON "), "an unsigned hop on a local trial is answered"
        assert (tmp_path / "instance" / "pengaduan.db").exists()
        beside = _commands_beside_serve(tmp_path, env, exe)
        assert "every session of theirs has ended" in beside.stdout, beside.stdout
        proc.send_signal(stop_signal)
        out, _ = proc.communicate(timeout=30)
        assert embedded_redis_pids(tmp_path) == set(), "an embedded redis-server was left running"
        assert not (tmp_path / "instance" / "redis" / "address").exists()
    finally:
        if proc.poll() is None:  # a failed assertion: still stop it the polite way first
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for pid in embedded_redis_pids(tmp_path):
            os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 0, out
    assert "stopped" in out
    assert "webhooks: accepted unsigned" in out


@pytest.mark.slow
def test_demo_keeps_its_own_instance(tmp_path: Path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY")
    }
    exe = Path(sys.executable).with_name("pengaduan")
    proc = subprocess.Popen(
        [str(exe), "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/simulator", timeout=1) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        assert (tmp_path / "instance" / "demo" / "pengaduan.db").exists()
        assert not (tmp_path / "instance" / "pengaduan.db").exists()
        assert not (tmp_path / "instance" / "secret_key").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        for pid in embedded_redis_pids(tmp_path):
            os.kill(pid, signal.SIGKILL)
    assert "real data untouched" in out and proc.returncode == 0, out
