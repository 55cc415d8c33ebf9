"""USSD hops answered in front of Flask's request machinery.

An ordinary hop is a little menu work and two Redis round trips. Around it, Flask builds a
request context, opens the cookie session, matches the URL, runs the request hooks and builds
werkzeug Request and Response objects: under gunicorn that cost about as much as the hop
itself (docs/performance.md). So a hop route an adapter registers here is answered by a thin
WSGI layer in front of the app. It reads the form as Flask's `request.form` would (the app's
`MAX_CONTENT_LENGTH`, refused before reading; UTF-8; the first value of a repeated field; a
body that is not UTF-8 is an empty form), counts the request in the same metrics, and leaves
the adapter's own checks to its handler. Anything else (another method or path, a body that
is not a urlencoded form or has no Content-Length) goes to the Flask app unchanged, where the
adapter's view answers it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler

if TYPE_CHECKING:
    from flask import Flask

    from ..services import Services

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
EXTENSION = "ussd_fast_routes"


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    mimetype: str = "text/plain"


Handler = Callable[["Services", Mapping[str, str] | None, str], Reply]
"""(services, the form or None when the body could not be read, the raw query string)."""


class HopRoutes:
    """WSGI middleware: a POSTed urlencoded form to a registered path is answered here."""

    def __init__(self, app: Flask):
        self.app = app
        self.next = app.wsgi_app
        self.routes: dict[str, tuple[str, Handler]] = {}
        self.max_length: int | None = app.config.get("MAX_CONTENT_LENGTH")

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        route = self.routes.get(environ.get("PATH_INFO", ""))
        length = environ.get("CONTENT_LENGTH", "")
        if (
            route is None
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != FORM
            or not (length.isascii() and length.isdigit())
            or environ.get("HTTP_TRANSFER_ENCODING")
        ):
            return self.next(environ, start_response)
        started = time.perf_counter()
        endpoint, handler = route
        try:
            form = self._form(environ, int(length))
            reply = handler(self.app.extensions["services"], form, environ.get("QUERY_STRING", ""))
        except Exception:  # the handler answers every hop; this is the last resort
            log.exception("USSD hop failed outside its handler (%s)", endpoint)
            reply = Reply(500, "internal error\n")
        body = reply.body.encode()
        start_response(
            f"{reply.status} {HTTPStatus(reply.status).phrase}",
            [
                ("Content-Type", f"{reply.mimetype}; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        observe = self.app.extensions.get("metrics_observe")
        if observe is not None:
            observe(endpoint, "POST", reply.status, time.perf_counter() - started)
        return [body]

    def _form(self, environ: dict[str, Any], length: int) -> dict[str, str] | None:
        """The form; None when it cannot be read (too large: refused unread; cut short)."""
        if self.max_length is not None and length > self.max_length:
            log.info("USSD hop refused: body of %s bytes", length)
            return None
        body = environ["wsgi.input"].read(length) if length else b""
        if len(body) != length:
            log.info("USSD hop refused: the body was cut short")
            return None
        try:
            return _parse(body.decode())
        except ValueError:  # not UTF-8: werkzeug reads such a form as empty
            return {}


def _parse(query: str) -> dict[str, str]:
    """`urllib.parse.parse_qsl(query, keep_blank_values=True)` with werkzeug's decoding
    errors, keeping the first value of a repeated field, and unquoting only what is quoted
    (most of a hop's fields are not)."""
    form: dict[str, str] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote(name.replace("+", " "), errors="werkzeug.url_quote")
        if "%" in value or "+" in value:
            value = unquote(value.replace("+", " "), errors="werkzeug.url_quote")
        form.setdefault(name, value)
    return form


def install(app: Flask, path: str, endpoint: str, handler: Handler) -> None:
    """Answer POSTs of a urlencoded form to `path` with `handler`, counted in the request
    metrics as `endpoint` (the Flask endpoint of the adapter's view of the same path)."""
    routes = app.extensions.get(EXTENSION)
    if routes is None:
        routes = app.extensions[EXTENSION] = HopRoutes(app)
        app.wsgi_app = routes  # type: ignore[method-assign]
    routes.routes[path] = (endpoint, handler)
