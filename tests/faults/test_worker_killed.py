"""A worker killed in the middle of its jobs: what it was doing is retried or recovered by the
sweeper; nothing is lost and nothing is done twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from casebridge.models import Case, Intake, Message, utcnow
from casebridge.reports import Report
from gateway.submit import submit_report
from tests.conftest import TEST_DATA_KEY, TEST_SECRET
from tests.faults.helpers import count

REPORTS = 120


def test_killed_worker_loses_nothing_and_doubles_nothing(services, orgs, jobs, tmp_path):
    for i in range(REPORTS):
        report = Report(
            reporter_phone=f"+6281234{i:06d}", category="other", channel="desk", sms_safe=True
        )
        submit_report(services, f"kill-{i}", report)
    env = {
        **os.environ,
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "SMS_PROVIDER": "simulator",
    }
    exe = Path(sys.executable).with_name("pengaduan")
    worker = subprocess.Popen(
        [str(exe), "worker"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while count(services, Case) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)  # no goodbye: mid-job, mid-transaction
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    done_before = count(services, Case)
    assert 10 <= done_before < REPORTS, "the worker must die with work left"

    jobs.run()  # what was still queued
    with time_machine.travel(utcnow() + timedelta(minutes=10)):  # the sweeper's turn
        jobs.tick()
        jobs.run()
        jobs.tick()
        jobs.run()
    assert count(services, Case) == REPORTS
    assert count(services, Intake, Intake.state == "done") == REPORTS
    with services.db.session() as s:
        confirmations = s.scalars(select(Message).where(Message.purpose == "confirmation")).all()
        assert len(confirmations) == REPORTS
        assert len({m.case_id for m in confirmations}) == REPORTS
        assert {m.status for m in confirmations} <= {"sent", "delivered"}  # each sent once
