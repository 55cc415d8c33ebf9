"""`pengaduan simulate ussd` dials a running service over HTTP, like a phone on AT."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from werkzeug.serving import make_server

from casebridge.models import ChannelSession, Intake
from gateway.cli import main

TOKEN = "sim-token"


@pytest.fixture
def settings_overrides():
    return {"at_webhook_token": TOKEN}


@pytest.fixture
def served(app, orgs):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def _simulate(url: str, typed: list[str], *extra: str):
    args = ["simulate", "ussd", "--url", url, "--token", TOKEN, *extra]
    return CliRunner().invoke(main, args, input="".join(f"{t}\n" for t in typed))


def _sessions(services) -> list[ChannelSession]:
    with services.db.session() as session:
        return list(session.scalars(select(ChannelSession)))


def test_a_whole_report_from_the_terminal(served, services):
    typed = ["1", "1", "Wati", "1", "1", "2", "Jawa Timur", "Banyuwangi", "1", "1", "1", "1", "1"]
    result = _simulate(served, typed, "--phone", "+6281234567890")
    assert result.exit_code == 0, result.output
    assert "Dialling *123# from +6281234567890" in result.output
    assert "--- CON (" in result.output and "/182) ---" in result.output
    assert "--- END (" in result.output and "Laporan terkirim." in result.output
    with services.db.session() as session:
        intake = session.scalars(select(Intake)).one()
    [record] = _sessions(services)
    assert record.status == "completed" and record.last_screen == "done"
    assert record.hops == len(typed) + 1 and record.case_reference == intake.reference
    assert intake.payload["reporter_phone"] == "+6281234567890"


def test_an_empty_line_hangs_up_and_counts_as_dropped(served, services):
    result = _simulate(served, ["1", ""])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("Hung up.")
    [record] = _sessions(services)
    assert (record.status, record.last_screen, record.hops) == ("dropped", "who", 2)


def test_a_wrong_token_is_reported(served):
    result = CliRunner().invoke(
        main, ["simulate", "ussd", "--url", served, "--token", "nope"], input="\n"
    )
    assert result.exit_code == 1
    assert "/ussd/africastalking answered 403" in result.output


def test_no_service_is_reported_plainly():
    result = _simulate("http://127.0.0.1:1", [])
    assert result.exit_code == 1
    assert "cannot reach http://127.0.0.1:1" in result.output
