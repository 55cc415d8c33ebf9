"""USSD hops answered in front of Flask's request machinery.

An ordinary hop is a little menu work and two Redis round trips. Around it, Flask builds a
request context, opens the cookie session, matches the URL, runs the request hooks and builds
werkzeug Request and Response objects: together that cost more than the hop itself (see
docs/performance.md). So a hop route an adapter registers here is answered by a thin WSGI
layer in front of the app, with the same form parsing (werkzeug's `FormDataParser` under the
app's `MAX_CONTENT_LENGTH`), the same request metrics, and the adapter's own checks.
Everything else, including a hop whose body is not a urlencoded form, goes to the Flask app
unchanged, where the adapter's view answers it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

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
        self.parser = FormDataParser(max_content_length=app.config.get("MAX_CONTENT_LENGTH"))

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        route = self.routes.get(environ.get("PATH_INFO", ""))
        if (
            route is None
            or environ.get("REQUEST_METHOD") != "POST"
            or parse_options_header(environ.get("CONTENT_TYPE"))[0] != FORM
        ):
            return self.next(environ, start_response)
        started = time.perf_counter()
        endpoint, handler = route
        try:
            reply = handler(self.app.extensions["services"], self._form(environ), _query(environ))
        except Exception:  # the handler answers every hop; this is the last resort
            log.exception("USSD hop failed outside its handler (%s)", endpoint)
            reply = Reply(500, "internal error\n")
        body = reply.body.encode()
        status = reply.status
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", f"{reply.mimetype}; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        observe = self.app.extensions.get("metrics_observe")
        if observe is not None:
            observe(endpoint, "POST", status, time.perf_counter() - started)
        return [body]

    def _form(self, environ: dict[str, Any]) -> Mapping[str, str] | None:
        """The form as Flask's `request.form` would read it; None when it cannot be read
        (too large: refused before it is read; a client that went away)."""
        try:
            _stream, form, _files = self.parser.parse_from_environ(environ)
        except HTTPException as exc:
            log.info("USSD hop refused: unreadable body (%s)", exc.code)
            return None
        return form


def _query(environ: dict[str, Any]) -> str:
    return environ.get("QUERY_STRING", "")


def install(app: Flask, path: str, endpoint: str, handler: Handler) -> None:
    """Answer POSTs of a urlencoded form to `path` with `handler`, counted in the request
    metrics as `endpoint` (the Flask endpoint of the adapter's view of the same path)."""
    routes = app.extensions.get(EXTENSION)
    if routes is None:
        routes = app.extensions[EXTENSION] = HopRoutes(app)
        app.wsgi_app = routes  # type: ignore[method-assign]
    routes.routes[path] = (endpoint, handler)
