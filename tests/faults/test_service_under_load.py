"""The whole web tier as deployed (gunicorn, several worker processes, each with its own Redis
connections) under concurrent USSD and SMS reports, with Redis stopped in the middle of the
load and started again: every report that got a success reply becomes a routed case, every
intake exactly one, with one confirmation; every acknowledged SMS is stored and handled once.

tests/faults proves the same promises in one process with Flask's test client; this runs real
processes and sockets, where per-process connections and their reconnection are what count."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from sqlalchemy import func, select

from casebridge import refs
from casebridge.models import Case, Intake, Message, utcnow
from gateway.services import Services, connect_redis
from tests.conftest import TEST_DATA_KEY, TEST_SECRET, Jobs
from tests.faults.helpers import USSD_REPORT
from tests.faults.own_redis import OwnRedis

TOKEN = "reliability-token"
SMS_REPORT = ["LAPOR gaji 4 bulan belum dibayar di Malaysia", "kakak", "Wati", "perempuan"]
SMS_REPORT += ["Banyuwangi", "ya"]
"""Distinct texts: answers typed quickly are not taken for resends of one another."""
CLIENTS = 6
REFERENCE = re.compile(r"Nomor: (\d{4}-\d{4})")
_FORM = "application/x-www-form-urlencoded"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2):
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--log-level"]
    command += ["warning", "--bind", f"127.0.0.1:{port}", "gateway.app:create_app()"]
    proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def post(port: int, path: str, form: dict) -> tuple[int, str]:
    """POST a form; (0, reason) when the server could not be reached."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("POST", path, urlencode(form), {"Content-Type": _FORM})
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    except OSError as exc:
        return 0, repr(exc)
    finally:
        conn.close()


class Midway:
    """Holds every client of a load halfway through its report until the test says go (after
    it stopped Redis), so the outage falls in the middle of every report, whatever the speed."""

    def __init__(self, clients: int):
        self.arrived = threading.Barrier(clients + 1)
        self.go = threading.Event()

    def __call__(self) -> None:
        self.arrived.wait(60)
        assert self.go.wait(60)


def _nothing() -> None:
    return None


def ussd_report(port: int, number: int, midway: Callable[[], None] = _nothing) -> str:
    """A whole USSD report; the last reply (or the first that is not a `CON` screen)."""
    session, phone = f"ATUid_load_{number}", f"+6281234{number:06d}"
    text, reply = "", ""
    presses = ["", *USSD_REPORT]
    for i, press in enumerate(presses):
        if i == len(presses) // 2:
            midway()
        text = f"{text}*{press}" if text else press
        form = {"sessionId": session, "serviceCode": "*123#", "phoneNumber": phone}
        status, reply = post(port, f"/ussd/africastalking?token={TOKEN}", {**form, "text": text})
        if status != 200 or not reply.startswith("CON "):
            return reply
    return reply


def sms_report(
    port: int, number: int, midway: Callable[[], None] = _nothing
) -> list[tuple[str, int]]:
    """A whole SMS report to the AT webhook: (message id, status) of each message."""
    sent = []
    for i, text in enumerate(SMS_REPORT):
        if i == len(SMS_REPORT) // 2:
            midway()
        message_id = f"ATXid_load_{number}_{i}"
        form = {"from": f"+60129{number:06d}", "to": "20880", "text": text, "id": message_id}
        status, _ = post(port, f"/sms/africastalking?token={TOKEN}", form)
        sent.append((message_id, status))
    return sent


def load(
    port: int, base: int, midway: Callable[[], None] = _nothing
) -> tuple[list[str], list[list[tuple[str, int]]]]:
    """CLIENTS USSD reports and CLIENTS SMS reports at once (numbered from `base`)."""
    with ThreadPoolExecutor(2 * CLIENTS) as pool:
        ussd = [pool.submit(ussd_report, port, base + i, midway) for i in range(CLIENTS)]
        sms = [pool.submit(sms_report, port, base + i, midway) for i in range(CLIENTS)]
        return [f.result() for f in ussd], [f.result() for f in sms]


@pytest.mark.slow
def test_reports_under_load_survive_a_redis_restart(services, orgs, tmp_path):
    server = OwnRedis(tmp_path).start()
    svc = Services(services.settings, services.db, connect_redis(server.url))
    env = {
        **os.environ,
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": server.url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "SMS_PROVIDER": "simulator",
        "AT_WEBHOOK_TOKEN": TOKEN,
        "INSTANCE_PATH": str(tmp_path),
    }
    try:
        with gunicorn(env) as port:
            before = load(port, 0)
            with ThreadPoolExecutor(1) as pool:  # Redis goes away in the middle of a load
                midway = Midway(2 * CLIENTS)
                during = pool.submit(load, port, 100, midway)
                midway.arrived.wait(60)
                server.stop()
                midway.go.set()
                during = during.result()
            server.start()
            after = load(port, 200)
        jobs = Jobs(svc)
        jobs.run()
        with time_machine.travel(utcnow() + timedelta(minutes=3)):  # the sweeper's turn
            jobs.tick()
            jobs.run()
    finally:
        server.stop()
        svc.redis.connection_pool.disconnect()

    assert any(r.startswith("END Maaf, layanan sedang sibuk") for r in during[0])
    replies = [r for part in (before, during, after) for r in part[0]]
    promised = {m.group(1) for r in replies if (m := REFERENCE.search(r))}
    assert len(promised) >= 2 * CLIENTS, "the load before and after the outage got through"
    acked = [sent for part in (before, during, after) for sent in part[1]]
    whole = [sent for sent in acked if all(status == 200 for _, status in sent)]
    acked_ids = {mid for sent in acked for mid, status in sent if status == 200}
    with services.db.session() as s:
        cases = {refs.format_ref(r) for r in s.scalars(select(Case.reference))}
        assert promised <= cases, "a reference shown to a reporter has no case"
        keys = list(s.scalars(select(Intake.idempotency_key).where(Intake.channel == "ussd")))
        assert len(set(keys)) == len(keys)  # one intake per session at most
        inbound = s.execute(
            select(Message.provider_message_id, Message.status).where(Message.direction == "in")
        ).all()
        stored = [mid for mid, _ in inbound]
        assert set(stored) >= acked_ids, "an acknowledged SMS was not stored"
        assert len(stored) == len(set(stored)), "an SMS was stored twice"
        assert {status for _, status in inbound} == {"done"}
        n_sms_cases = s.scalar(select(func.count()).select_from(Case).where(Case.channel == "sms"))
        assert n_sms_cases == len(whole), "one case per SMS report acknowledged in full"
        confirmations = s.execute(
            select(Message.case_id, func.count())
            .where(Message.purpose == "confirmation")
            .group_by(Message.case_id)
        ).all()
        n_cases = s.scalar(select(func.count()).select_from(Case))
        assert len(confirmations) == n_cases and {n for _, n in confirmations} == {1}
        n_intakes = s.scalar(select(func.count()).select_from(Intake))
        assert n_intakes == n_cases, "every intake became one case"
