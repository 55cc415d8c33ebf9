"""The database away for a moment: webhooks answer with an error the provider retries (never a
success for something not stored), and everything works again when it is back."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path

import pytest
from fakes.webhooks import at_sms, twilio_sms
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from casebridge.db import Database
from casebridge.models import Case, Message
from gateway.app import create_app
from gateway.services import Services
from tests.faults.helpers import ussd_hop


class Cuttable:
    """A TCP proxy on loopback in front of PostgreSQL whose line can be cut and restored."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.live: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.live += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        self.open = False
        for s in self.live:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.live.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def outage(services):
    """(services whose database can be cut, cut(), restore())."""
    url = services.settings.database_url
    if url.startswith("sqlite"):
        folder = Path(url.split("///", 1)[1]).parent
        away = folder.with_name(folder.name + "-away")
        db = Database(url, services.settings.data_keys)

        def cut():
            os.rename(folder, away)
            db.dispose()

        def restore():
            os.rename(away, folder)

        yield Services(services.settings, db, services.redis), cut, restore
        if away.exists():
            restore()
        db.dispose()
        return
    parsed = make_url(url)
    proxy = Cuttable(parsed.host or "127.0.0.1", parsed.port or 5432)
    db = Database(
        parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
        services.settings.data_keys,
    )
    yield Services(services.settings, db, services.redis), proxy.cut, proxy.restore
    db.dispose()
    proxy.close()


def inbound_count(services) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))


def test_webhooks_answer_retryable_errors_while_the_database_is_away(
    outage, services, orgs, api_key, sms_jobs
):
    svc, cut, restore = outage
    client = create_app(services=svc).test_client()
    key = api_key("POSDESA-JATIM")
    desk = {"reporter": {"phone": "+6281234567001", "sms_safe": True}, "category": "other"}
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "db-outage-1"}
    assert client.get("/healthz").status_code == 200

    cut()
    assert client.get("/healthz").status_code == 503
    assert at_sms(client, "+60129876511", "20880", "LAPOR gaji", "db-out-1").status_code == 503
    tw = twilio_sms(client, "+60129876512", "+85258001234", "LAPOR gaji", "SMdbout1")
    assert tw.status_code == 503
    assert client.post("/api/v1/reports", json=desk, headers=headers).status_code == 503
    hop = ussd_hop(client, "ATUid_db_out", "+6281234567002", "")  # USSD needs no database
    assert hop.get_data(as_text=True).startswith("CON ")

    restore()
    assert client.get("/healthz").status_code == 200
    assert inbound_count(services) == 0, "nothing was stored, so nothing may have been acked"
    # the providers retry the very same requests
    assert at_sms(client, "+60129876511", "20880", "LAPOR gaji", "db-out-1").status_code == 200
    tw = twilio_sms(client, "+60129876512", "+85258001234", "LAPOR gaji", "SMdbout1")
    assert tw.status_code == 200
    assert client.post("/api/v1/reports", json=desk, headers=headers).status_code == 201
    assert at_sms(client, "+60129876511", "20880", "LAPOR gaji", "db-out-1").status_code == 200
    sms_jobs.run()
    assert inbound_count(services) == 2
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
