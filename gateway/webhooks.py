"""Checks every provider webhook passes before we read it: AT's token, Twilio's signature.

Closed by default: while a provider's secret is unset its webhooks answer 403, unless
ALLOW_UNSIGNED_WEBHOOKS is true (`pengaduan serve` on embedded defaults on a loopback address)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from twilio.request_validator import RequestValidator

from casebridge.settings import Settings

log = logging.getLogger(__name__)
_refused: set[str] = set()


def _settings():
    return current_app.extensions["services"].settings


def public_url() -> str:
    """The URL the provider called, as it signed it: PUBLIC_BASE_URL + path + raw query
    (werkzeug's `request.url` normalises escapes such as %7E, which breaks signatures)."""
    base = _settings().public_base_url.rstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def unsigned_accepted(settings: Settings, setting: str) -> bool:
    """A webhook whose provider secret (`setting`) is unset: accepted only when
    ALLOW_UNSIGNED_WEBHOOKS is true; otherwise refused, said once per process in the log."""
    if settings.allow_unsigned_webhooks:
        return True
    if setting not in _refused:
        _refused.add(setting)
        log.warning("webhook refused: %s is not set (ALLOW_UNSIGNED_WEBHOOKS is false)", setting)
    return False


def token_matches(settings: Settings, given: str) -> bool:
    """AT's check (AT signs nothing, protocols.md A5): `?token=` equals AT_WEBHOOK_TOKEN."""
    expected = settings.at_webhook_token
    if not expected:
        return unsigned_accepted(settings, "AT_WEBHOOK_TOKEN")
    return hmac.compare_digest(given.encode(), expected.encode())


def at_token_ok() -> bool:
    """The request carries `?token=` equal to AT_WEBHOOK_TOKEN."""
    return token_matches(_settings(), request.args.get("token", ""))


def twilio_signature_ok() -> bool:
    """`X-Twilio-Signature` matches TWILIO_AUTH_TOKEN (the SDK's validator)."""
    token = _settings().twilio_auth_token
    if not token:
        return unsigned_accepted(_settings(), "TWILIO_AUTH_TOKEN")
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
