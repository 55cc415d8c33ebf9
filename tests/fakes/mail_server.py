"""A local SMTP server (aiosmtpd) with a test certificate authority (trustme), recording every
login and message and whether it came over TLS. It offers AUTH without TLS too, so a client
that sends a password in clear is caught doing it."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


@dataclass
class Received:
    logins: list[tuple[str, str, bool]] = field(default_factory=list)
    """(user, password, over TLS)"""
    messages: list[tuple[Message, bool]] = field(default_factory=list)
    """(message, over TLS)"""


class FakeMailServer:
    """`starttls`: offer STARTTLS; `implicit_tls`: TLS from the first byte (port 465's way);
    `trusted`: the certificate is signed by `ca`, else by a CA nobody trusts."""

    def __init__(
        self,
        ca: trustme.CA,
        *,
        starttls: bool = True,
        implicit_tls: bool = False,
        trusted: bool = True,
        port: int | None = None,
    ):
        self.received = Received()
        self.implicit_tls = implicit_tls
        issuer = ca if trusted else trustme.CA()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        issuer.issue_cert(HOST).configure_cert(context)
        self.port = port or _free_port()
        tls = {"ssl_context": context} if implicit_tls else {}
        self._controller = Controller(
            self,
            hostname=HOST,
            port=self.port,
            server_hostname="mail.test",
            tls_context=context if starttls and not implicit_tls else None,
            auth_require_tls=False,
            authenticator=self._login,
            **tls,
        )

    def start(self) -> FakeMailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _login(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login = (auth_data.login.decode(), auth_data.password.decode(), self._tls(session))
        self.received.logins.append(login)
        return AuthResult(success=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content)
        self.received.messages.append((message, self._tls(session)))
        return "250 OK"

    def _tls(self, session) -> bool:
        return self.implicit_tls or session.ssl is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]
