"""Sign-in failures counted in Redis, per account and per client address, each in a window
that starts with its first failure. While either count is at its limit every try is refused,
a right password included, until the window passes. Second-factor failures count too."""

from __future__ import annotations

import hashlib

from redis import Redis

WINDOW_SECONDS = 15 * 60
PER_ACCOUNT = 5
PER_ADDRESS = 20
_KEY = "pgd:signin-fail:"


def _keys(email: str, address: str) -> tuple[str, str]:
    account = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    return f"{_KEY}account:{account}", f"{_KEY}address:{address or '-'}"


def throttled(redis: Redis, email: str, address: str) -> bool:
    """Whether tries for this account or from this address are refused for now."""
    account, place = redis.mget(_keys(email, address))
    return int(account or 0) >= PER_ACCOUNT or int(place or 0) >= PER_ADDRESS


def failed(redis: Redis, email: str, address: str) -> None:
    """Count one failed try (a wrong email, password or code)."""
    pipe = redis.pipeline(transaction=True)
    for key in _keys(email, address):
        pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)
        pipe.incr(key)
    pipe.execute()
