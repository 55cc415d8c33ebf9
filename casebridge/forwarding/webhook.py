"""Webhooks to an organisation's own case-management system: a signed JSON POST
(design.md, "Webhooks to organisations"). Any 2xx is success; anything else is retried."""

from __future__ import annotations

import json

import requests

from . import signature
from .base import Envelope, Result

TIMEOUT = (5, 15)
"""Seconds to connect, and to wait for the answer."""
USER_AGENT = "pengaduan-gateway-webhook/1"


def body_of(document: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookForwarder:
    channel = "webhook"

    def __init__(self, session: requests.Session | None = None, timeout=TIMEOUT):
        self.http = session or requests.Session()
        self.timeout = timeout

    def deliver(self, envelope: Envelope) -> Result:
        if not envelope.recipients or not envelope.secret:
            return Result(False, "no webhook URL or secret in the directory", retry=False)
        body = body_of(envelope.document)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **signature.headers(envelope.secret, body),
        }
        try:
            response = self.http.post(
                envelope.recipients[0],
                data=body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return Result(False, f"no answer ({type(exc).__name__})")
        if 200 <= response.status_code < 300:
            return Result(True, f"HTTP {response.status_code}")
        return Result(False, f"HTTP {response.status_code}")
