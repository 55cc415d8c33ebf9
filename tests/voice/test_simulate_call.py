"""`pengaduan simulate call` against the real endpoints, served on a local port."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from werkzeug.serving import make_server

from casebridge.models import Case, ChannelSession
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY

from .conftest import AT_TOKEN, TWILIO_TOKEN


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def simulate(served, services, monkeypatch, tmp_path):
    """Run the command with the environment a trainer would have (same tokens as the server)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name, value in {
        "PUBLIC_BASE_URL": services.settings.public_base_url,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "AT_WEBHOOK_TOKEN": AT_TOKEN,
        "SECRET_KEY": "x",
        "DATA_KEY": TEST_DATA_KEY,
    }.items():
        monkeypatch.setenv(name, value)

    def run(*args: str, keys: str = ""):
        return CliRunner().invoke(main, ["simulate", "call", "--url", served, *args], input=keys)

    return run


def test_a_report_through_twilio(simulate, services, jobs, orgs):
    result = simulate(
        "--provider", "twilio", keys="1\n2\n1\n2\n1\nGaji adik saya belum dibayar empat bulan\n"
    )
    assert result.exit_code == 0, result.output
    assert "Selamat datang" in result.output and "Apa masalahnya?" in result.output
    assert "Nomor laporan Anda" in result.output and "(The line hung up.)" in result.output
    jobs.run()
    with services.db.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.channel == "voice" and case.category == "unpaid_wages"
        assert "Gaji+adik+saya" in case.recording_url and case.recording_duration == 3
        closed = session.scalars(select(ChannelSession)).one()
        assert closed.provider == "twilio" and closed.case_reference == case.reference


def test_silence_on_africas_talking_ends_politely(simulate, services):
    result = simulate("--provider", "africastalking", keys="\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Maaf, kami tidak mendengar tombol yang ditekan.") == 2
    assert "Terima kasih. Silakan telepon lagi" in result.output
    with services.db.session() as session:
        assert session.scalars(select(ChannelSession)).one().provider == "africastalking"


def test_hanging_up_sends_the_end_of_the_call(simulate, services):
    result = simulate("--provider", "twilio", keys="3\nq\n")
    assert result.exit_code == 0, result.output
    assert "Setiap pekerja migran berhak" in result.output and "(You hung up.)" in result.output
    with services.db.session() as session:
        assert session.scalars(select(ChannelSession)).one().last_screen == "rights"


def test_a_token_that_does_not_match_is_explained(simulate, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-servers")
    result = simulate("--provider", "twilio")
    assert result.exit_code != 0
    assert "refused the request (403)" in result.output


def test_no_server_is_explained(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["simulate", "call", "--url", "http://127.0.0.1:9"])
    assert result.exit_code != 0 and "is `pengaduan serve` running?" in result.output
