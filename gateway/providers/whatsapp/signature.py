"""Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body,
keyed with the app secret>`. The one helper the webhook check and the tests both use."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"


def sign(secret: str, body: bytes) -> str:
    """The header value Meta sends for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time comparison of the header with the body's signature."""
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(header.strip().encode(), sign(secret, body).encode())
