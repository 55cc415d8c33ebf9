"""Signing webhooks to organisations (design.md, "Webhooks to organisations").

`X-Pengaduan-Signature: sha256=<hex>` is the HMAC-SHA256 of `timestamp + "." + body`, keyed with
the organisation's webhook secret; `X-Pengaduan-Timestamp` is Unix seconds. Receivers refuse a
timestamp more than five minutes old. The same helpers serve the sender and the tests' receiver.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Pengaduan-Timestamp"
SIGNATURE_HEADER = "X-Pengaduan-Signature"
TOLERANCE_SECONDS = 300
_PREFIX = "sha256="


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `X-Pengaduan-Signature` value for a body sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """The two signature headers for a body sent now."""
    timestamp = int(time.time() if now is None else now)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(
    secret: str,
    timestamp: str | None,
    body: bytes,
    signature: str | None,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether a received webhook is genuine and fresh (not older than `tolerance` seconds,
    nor from the future by more than that)."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
