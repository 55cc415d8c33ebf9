"""E-mail to an organisation's case address, only when SMTP is configured, and only over TLS
with a verified certificate: a server that offers no STARTTLS, or a certificate nobody
trusts, gets neither the password nor the case."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
import trustme
from fakes.mail_server import HOST, FakeMailServer
from sqlalchemy import select

from casebridge import refs
from casebridge.forwarding.mail import SSL_PORT
from casebridge.models import Forward
from tests.forwarding.cases import file_case, load_case, set_channels

SMTP_USER, SMTP_PASSWORD = "gateway", "smtp-password-3b9e"


@dataclass(frozen=True)
class Server:
    name: str
    options: dict = field(default_factory=dict)
    delivered: bool = True
    note: str = ""
    """What the case timeline says about a refused attempt."""


SERVERS = [
    Server("starttls"),
    Server("implicit tls on 465", {"implicit_tls": True, "port": SSL_PORT}),
    Server("no starttls", {"starttls": False}, False, f"{HOST} offers no STARTTLS: nothing sent"),
    Server("untrusted certificate", {"trusted": False}, False, f"{HOST}'s certificate: "),
    Server(
        "untrusted certificate on 465",
        {"implicit_tls": True, "port": SSL_PORT, "trusted": False},
        False,
        f"{HOST}'s certificate: ",
    ),
]


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def mail_server(request, ca, tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # the machine trusts our test CA only
    try:
        server = FakeMailServer(ca, **request.param.options).start()
    except OSError as exc:  # port 465 taken on this machine
        pytest.skip(f"cannot listen on {request.param.options.get('port')}: {exc}")
    yield server
    server.stop()


@pytest.fixture
def settings_overrides(mail_server):
    return {
        "smtp_host": HOST,
        "smtp_port": mail_server.port,
        "smtp_user": SMTP_USER,
        "smtp_password": SMTP_PASSWORD,
        "smtp_from": "gw@example.org",
    }


def email_forward(services) -> Forward:
    with services.db.session() as s:
        return s.scalars(select(Forward).where(Forward.channel == "email")).one()


def name(server: Server) -> str:
    return server.name


@pytest.mark.parametrize("mail_server", SERVERS[:2], indirect=True, ids=name)
def test_case_is_mailed_with_its_data_over_tls(services, jobs, orgs, mail_server):
    set_channels(services, "SBMI-BWI", email="kasus@sbmi.example.org")
    ref = file_case(services, jobs)
    assert mail_server.received.logins == [(SMTP_USER, SMTP_PASSWORD, True)]
    [(message, over_tls)] = mail_server.received.messages
    assert over_tls and email_forward(services).status == "delivered"
    assert message["To"] == "kasus@sbmi.example.org" and message["From"] == "gw@example.org"
    assert message["Subject"] == f"Kasus baru {refs.format_ref(ref)}"
    [attachment] = [p for p in message.walk() if p.get_filename() == "case.json"]
    data = json.loads(attachment.get_payload(decode=True))
    assert data["event"] == "case.assigned" and data["reference"] == refs.format_ref(ref)


@pytest.mark.parametrize("mail_server", SERVERS[2:], indirect=True, ids=name)
def test_a_server_without_verified_tls_gets_neither_password_nor_case(
    services, jobs, orgs, mail_server, request
):
    case = request.node.callspec.params["mail_server"]
    set_channels(services, "SBMI-BWI", email="kasus@sbmi.example.org")
    ref = file_case(services, jobs)
    assert mail_server.received.logins == [] and mail_server.received.messages == []
    assert email_forward(services).status == "retrying"  # a fixed server gets it later
    with services.db.session() as s:
        notes = [e.note for e in load_case(s, ref).events if "email" in e.note]
    assert len(notes) == 1 and case.note in notes[0], notes
    assert SMTP_PASSWORD not in notes[0]
