"""Redis restarts under a running `pengaduan worker`: the worker does not quit; it reconnects
and takes the next report, and the heartbeat says it is alive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from casebridge.models import Case
from casebridge.reports import Report
from gateway.services import Services, connect_redis
from gateway.submit import submit_report
from tests.conftest import TEST_DATA_KEY, TEST_SECRET
from tests.faults.helpers import count
from tests.faults.own_redis import OwnRedis
from workers import heartbeat


def file_one(svc: Services, i: int) -> None:
    report = Report(reporter_phone=f"+628123457{i:04d}", category="other", channel="desk")
    submit_report(svc, f"reconnect-{i}", report)


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_survives_a_redis_restart(services, orgs, tmp_path):
    server = OwnRedis(tmp_path).start()
    svc = Services(services.settings, services.db, connect_redis(server.url))
    env = {
        **os.environ,
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": server.url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "SMS_PROVIDER": "simulator",
    }
    exe = Path(sys.executable).with_name("pengaduan")
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(exe), "worker"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        file_one(svc, 1)
        assert wait_for(lambda: count(services, Case) == 1, 30), "the worker took no report"
        server.stop()  # Redis restarts while the worker waits for jobs
        time.sleep(3)
        assert worker.poll() is None, "the worker quit when Redis went away"
        server.start()
        file_one(svc, 2)
        assert wait_for(lambda: count(services, Case) == 2, 60), "no report after the restart"
        assert worker.poll() is None
        assert wait_for(lambda: (heartbeat.silent_for(svc.redis) or 99) < 10, 15)
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()
        log.close()
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]
