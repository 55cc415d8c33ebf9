"""Refuse a request whose declared body is too large before anything reads it (WSGI layer)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_BODY = b'{"error": "request_entity_too_large", "message": "the request body is too large"}\n'


class BodyLimit:
    """Answers 413 to any request with a Content-Length over `max_bytes`; bodies without a
    declared length are still cut off by Flask's MAX_CONTENT_LENGTH when they are read."""

    def __init__(self, app: Callable, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_bytes:
            start_response(
                "413 Request Entity Too Large",
                [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))],
            )
            return [_BODY]
        return self.app(environ, start_response)
