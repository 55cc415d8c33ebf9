"""Refuse a request whose body is too large before the app reads it (WSGI layer)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

_BODY = b'{"error": "request_entity_too_large", "message": "the request body is too large"}\n'


class BodyLimit:
    """Answers 413 to any request with a Content-Length over `max_bytes`. A chunked body (no
    declared length) is read here up to one byte past the limit: over it, 413; within it, the
    app gets it with its length, as if it had been declared."""

    def __init__(self, app: Callable, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not length and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = self._read(environ["wsgi.input"])
            if body is None:
                return self._too_large(start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input_terminated"] = False
            del environ["HTTP_TRANSFER_ENCODING"]
        elif length > self.max_bytes:
            return self._too_large(start_response)
        return self.app(environ, start_response)

    def _read(self, stream: io.RawIOBase) -> bytes | None:
        """The whole body, or None when it is longer than `max_bytes`."""
        parts, size = [], 0
        while size <= self.max_bytes:
            part = stream.read(min(65536, self.max_bytes + 1 - size))
            if not part:
                return b"".join(parts)
            parts.append(part)
            size += len(part)
        return None

    @staticmethod
    def _too_large(start_response: Callable) -> Iterable[bytes]:
        start_response(
            "413 Request Entity Too Large",
            [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))],
        )
        return [_BODY]
