"""What the browser pages do to keep the personal data they show: never cached, never framed,
and a session cookie that expires (idle and absolute lifetime, design.md "Safety settings")."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask, Response, request, session

IDLE = timedelta(minutes=30)
"""A session unused this long is gone (the signed cookie's age, renewed on each request)."""
ABSOLUTE = timedelta(hours=12)
"""A session this old is gone however busy it was."""
SINCE = "since"
"""The session field holding when it began (seconds since the epoch)."""
PRIVATE_BLUEPRINTS = ("dashboard", "simulator", "workspace", "account", "admin")
"""Pages (and their JSON) that show cases, messages or phone numbers."""
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def install(app: Flask, https: bool) -> None:
    """Session cookie settings and the hooks that expire sessions and set the headers."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        PERMANENT_SESSION_LIFETIME=IDLE,
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.before_request(_expire)
    app.after_request(_protect)


def _expire() -> None:
    """A session past its absolute lifetime is emptied (signed out) before any view reads it."""
    since = session.get(SINCE)
    if isinstance(since, int | float) and time.time() - since > ABSOLUTE.total_seconds():
        session.clear()


def _protect(response: Response) -> Response:
    if session:
        session.permanent = True  # the cookie carries IDLE as its expiry
        session.setdefault(SINCE, int(time.time()))
    if (request.endpoint or "").endswith(".static"):
        return response
    if request.blueprint in PRIVATE_BLUEPRINTS or response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = CSP
    return response
