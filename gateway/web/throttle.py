"""Sign-in tries counted in Redis, per account and per client address, each in a window that
starts with its first try. A try is counted before it is checked (one transaction, so
concurrent tries each get their own count) and given back when it succeeds: so only failures
stay counted, and no more than the limit are ever checked. Past either limit every try is
refused, a right password included, until the window passes. Second-factor codes count too."""

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


def take(redis: Redis, email: str, address: str) -> bool:
    """Count a try for this account from this address; False: refused for now, unchecked."""
    pipe = redis.pipeline(transaction=True)
    for key in _keys(email, address):
        pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)
        pipe.incr(key)
    account, place = pipe.execute()[1::2]
    return account <= PER_ACCOUNT and place <= PER_ADDRESS


def give_back(redis: Redis, email: str, address: str) -> None:
    """The try succeeded: it does not count against the account or the address."""
    pipe = redis.pipeline(transaction=True)
    for key in _keys(email, address):
        pipe.decr(key)
    pipe.execute()
