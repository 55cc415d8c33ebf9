"""An organisation's case-management system, as a local HTTP server: it checks every
webhook's signature with the organisation's secret, refuses a timestamp older than five
minutes and any request it has already seen (a replay), and can fail the first attempts
(`fail_next`) to prove the retries."""

from __future__ import annotations

import json

from flask import request

from casebridge.forwarding import signature

from .server import FakeServer

PATH = "/hooks/pengaduan"
SECRET = "org-webhook-secret-3b7c9e21"


class WebhookReceiver(FakeServer):
    """`received` holds the JSON of every genuine, fresh, first-seen webhook (the ones it
    answered 2xx); `refused` the reason of every other one."""

    def __init__(self, secret: str = SECRET):
        super().__init__("fake-webhook-receiver")
        self.secret = secret
        self.received: list[dict] = []
        self.refused: list[str] = []
        self._seen: set[tuple[str, str]] = set()
        self.app.post(PATH)(self._hook)

    @property
    def hook_url(self) -> str:
        return self.url + PATH

    def reset(self) -> None:
        super().reset()
        self.received.clear()
        self.refused.clear()
        self._seen.clear()

    def _refuse(self, status: int, why: str):
        self.refused.append(why)
        return {"error": why}, status

    def _hook(self):
        body = request.get_data()
        timestamp = request.headers.get(signature.TIMESTAMP_HEADER)
        signed = request.headers.get(signature.SIGNATURE_HEADER)
        if not signature.verify(self.secret, timestamp, body, signed):
            stale = timestamp and signature.verify(self.secret, timestamp, body, signed, 0, 10**12)
            return self._refuse(401, "stale timestamp" if stale else "bad signature")
        with self._lock:
            if (timestamp, signed) in self._seen:
                return self._refuse(409, "replay")
            self._seen.add((timestamp, signed))
        self.received.append(json.loads(body))
        return {"ok": True}, 202
