"""Bearer keys: every /api/v1 route (but the spec) needs an organisation's key."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, jsonify, request

from casebridge import apikeys


def bearer_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "bearer" and key.strip() else None


def require_org(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate the caller; the view runs with `g.org` (the key's organisation) and
    `g.session` (a database session committed after the view)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        services = current_app.extensions["services"]
        with services.db.session() as session:
            org = apikeys.authenticate(session, bearer_key())
            if org is None:
                response = jsonify(
                    error="unauthorized", message="a valid Bearer API key is required"
                )
                response.headers["WWW-Authenticate"] = 'Bearer realm="pengaduan"'
                return response, 401
            g.org, g.session = org, session
            return view(*args, **kwargs)

    return wrapper
