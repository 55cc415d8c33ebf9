"""E-mail to an organisation's case address, only when SMTP is configured (SMTP_* settings),
and only over TLS with a verified certificate: implicit on port 465, STARTTLS on any other
(a server that does not offer it gets nothing, so TLS cannot be stripped)."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage

from ..settings import Settings
from .base import Envelope, Result

TIMEOUT = 20
SSL_PORT = 465
NOT_SENT = "nothing sent (the password and the case go only over verified TLS)"


class MailForwarder:
    channel = "email"

    def __init__(self, settings: Settings):
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host)

    def message(self, envelope: Envelope) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.settings.smtp_from
        msg["To"] = envelope.recipients[0]
        msg["Subject"] = envelope.subject
        msg.set_content(envelope.text)
        msg.add_attachment(
            json.dumps(envelope.document, ensure_ascii=False, indent=2).encode(),
            maintype="application",
            subtype="json",
            filename="case.json",
        )
        return msg

    def deliver(self, envelope: Envelope) -> Result:
        if not self.configured:
            return Result(False, "e-mail is not configured (SMTP_HOST)", retry=False)
        if not envelope.recipients:
            return Result(False, "no e-mail address in the directory", retry=False)
        s = self.settings
        context = ssl.create_default_context()  # verifies the certificate and the host name
        try:
            if s.smtp_port == SSL_PORT:
                smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT)
            with smtp:
                if s.smtp_port != SSL_PORT:
                    smtp.ehlo()
                    if not smtp.has_extn("starttls"):
                        return Result(False, f"{s.smtp_host} offers no STARTTLS: {NOT_SENT}")
                    smtp.starttls(context=context)
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password or "")
                refused = smtp.send_message(self.message(envelope))
        except ssl.SSLCertVerificationError as exc:
            return Result(False, f"{s.smtp_host}'s certificate: {exc.verify_message}: {NOT_SENT}")
        except smtplib.SMTPRecipientsRefused as exc:
            return Result(False, f"address refused: {exc.recipients}", retry=False)
        except (smtplib.SMTPException, OSError) as exc:
            return Result(False, f"SMTP error ({type(exc).__name__}: {exc})"[:300])
        if refused:
            return Result(False, f"address refused: {sorted(refused)}", retry=False)
        return Result(True, f"sent to {envelope.recipients[0]}")
