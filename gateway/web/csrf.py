"""CSRF protection for every form: a per-session token, checked in constant time."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check() -> None:
    """Abort with 400 unless the form (or X-CSRF-Token header) carries this session's token."""
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(
            400, description="the form expired or did not come from this site; reload and try again"
        )
