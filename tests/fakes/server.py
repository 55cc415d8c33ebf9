"""A Flask app served on 127.0.0.1 at a random port in a thread, recording what it gets."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask, Response, g, request
from werkzeug.serving import WSGIRequestHandler, make_server


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]
    status: int = 0


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class FakeServer:
    """`start()` / `stop()`; `fail_next(n, status)` makes the next n calls answer that HTTP
    status; `requests` lists every call with the status it got."""

    def __init__(self, name: str):
        self.app = Flask(name)
        self.requests: list[Recorded] = []
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server = None
        self.app.before_request(self._record_and_maybe_fail)
        self.app.after_request(self._remember_status)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self):
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_Quiet)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._failures.clear()

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def _record_and_maybe_fail(self):
        g.recorded = Recorded(
            request.method, request.path, dict(request.headers), request.form.to_dict()
        )
        with self._lock:
            self.requests.append(g.recorded)
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return self.failure(failure)
        return None

    def _remember_status(self, response: Response) -> Response:
        g.recorded.status = response.status_code
        return response

    def failure(self, status: int) -> Response:
        """The answer to a programmed failure; a provider fake gives it its own shape."""
        return Response("fake failure\n", status=status, mimetype="text/plain")
