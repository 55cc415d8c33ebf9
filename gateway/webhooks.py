"""Checks every provider webhook passes before we read it: AT's token, Twilio's signature."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from twilio.request_validator import RequestValidator


def _settings():
    return current_app.extensions["services"].settings


def public_url() -> str:
    """The URL the provider called, as it signed it: PUBLIC_BASE_URL + path + raw query
    (werkzeug's `request.url` normalises escapes such as %7E, which breaks signatures)."""
    base = _settings().public_base_url.rstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def at_token_ok() -> bool:
    """With AT_WEBHOOK_TOKEN set, the request must carry `?token=` equal to it."""
    expected = _settings().at_webhook_token
    if not expected:
        return True
    given = request.args.get("token", "")
    return hmac.compare_digest(given.encode(), expected.encode())


def twilio_signature_ok() -> bool:
    """With TWILIO_AUTH_TOKEN set, `X-Twilio-Signature` must match (the SDK's validator)."""
    token = _settings().twilio_auth_token
    if not token:
        return True
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    return RequestValidator(token).validate(public_url(), request.form, signature)


def require(check: Callable[[], bool], refusal: Callable[[], Any] | None = None):
    """Decorator: answer 403 (or the given refusal) and do nothing when the check fails."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not check():
                if refusal is not None:
                    return refusal()
                return Response("forbidden\n", status=403, mimetype="text/plain")
            return view(*args, **kwargs)

        return wrapper

    return decorate


at_token_required = require(at_token_ok)
twilio_signature_required = require(twilio_signature_ok)
