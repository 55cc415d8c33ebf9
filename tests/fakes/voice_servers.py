"""Local stand-ins for the providers' voice APIs, for the real SDKs to talk to.

Each is a small Flask app served on 127.0.0.1 at a random port from a thread (werkzeug's
`make_server`); it records every request and answers like the provider (protocols.md A3.3,
B4), or with the failure a test asks for. Also a file host for recordings.
"""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass, field

from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

RECORDING = b"RIFF\x24\x00\x00\x00WAVEfmt a recording"


@dataclass
class Seen:
    path: str
    form: dict
    auth: str | None


@dataclass
class FakeServer:
    app: Flask
    requests: list[Seen] = field(default_factory=list)
    fail: tuple[int, object] | None = None
    """(status, JSON body) to answer instead of success."""
    redirect: str | None = None
    """A URL recordings are redirected to instead of served."""

    def __post_init__(self):
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(5)

    def seen(self) -> None:
        auth = request.headers.get("Authorization")
        if auth and auth.startswith("Basic "):
            auth = base64.b64decode(auth[6:]).decode()
        self.requests.append(Seen(request.path, request.form.to_dict(), auth))


def fake_twilio() -> FakeServer:
    """Twilio's `Calls.json` (and nothing else)."""
    app = Flask("fake_twilio")
    server = FakeServer(app)

    @app.post("/2010-04-01/Accounts/<sid>/Calls.json")
    def create_call(sid: str):
        server.seen()
        if server.fail:
            status, body = server.fail
            return jsonify(body), status
        return jsonify(
            {
                "sid": f"CA{uuid.uuid4().hex}",
                "account_sid": sid,
                "to": request.form.get("To"),
                "from": request.form.get("From"),
                "status": "queued",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
            }
        ), 201

    @app.get("/2010-04-01/Accounts/<sid>/Recordings/<recording>")
    def recording(sid: str, recording: str):
        server.seen()
        if server.redirect:
            return Response(status=302, headers={"Location": server.redirect})
        return Response(RECORDING, mimetype="audio/x-wav")

    return server


def fake_at_voice() -> FakeServer:
    """Africa's Talking's voice API: `POST /call`, and its recordings."""
    app = Flask("fake_at_voice")
    server = FakeServer(app)

    @app.post("/call")
    def call():
        server.seen()
        if server.fail:
            status, body = server.fail
            return jsonify(body), status
        entries = [
            {
                "phoneNumber": number,
                "status": "Queued",
                "sessionId": f"ATVId_{uuid.uuid4().hex[:16]}",
            }
            for number in request.form.get("to", "").split(",")
        ]
        return jsonify({"entries": entries, "errorMessage": "None"})

    @app.get("/recordings/<name>")
    def recording(name: str):
        server.seen()
        return Response(RECORDING, mimetype="audio/x-wav")

    return server


def fake_recordings(body: bytes = RECORDING) -> FakeServer:
    """Serves any path as a recording."""
    app = Flask("fake_recordings")
    server = FakeServer(app)

    @app.get("/<path:name>")
    def recording(name: str):
        server.seen()
        if server.fail:
            return Response("gone", status=server.fail[0])
        return Response(body, mimetype="audio/x-wav")

    return server
