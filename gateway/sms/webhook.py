"""Small helpers provider webhooks share: required form fields and plain-text refusals."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response


class WebhookError(ValueError):
    """The webhook is malformed; answered 400 with this message (providers do not retry it)."""


def nul_free(name: str, value: str) -> str:
    """The value, unless it holds a NUL character (which no database text column takes)."""
    if "\x00" in value:
        raise WebhookError(f"field {name!r} holds a NUL character")
    return value


def required(form: Mapping[str, str], name: str) -> str:
    """A field that must be present and not blank."""
    value = form.get(name)
    if value is None or not str(value).strip():
        raise WebhookError(f"missing field {name!r}")
    return nul_free(name, str(value).strip())


def optional(form: Mapping[str, str], name: str) -> str | None:
    value = form.get(name)
    return nul_free(name, str(value).strip()) or None if value is not None else None


def bad_request(exc: Exception) -> Response:
    return Response(f"{exc}\n", status=400, mimetype="text/plain")
