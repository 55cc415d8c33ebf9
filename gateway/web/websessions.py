"""Sign-in sessions kept server-side in Redis, so that signing out, `users disable` and a
password reset end them at once, in every process.

The browser's (signed) cookie carries only a random session id; Redis keeps a SHA-256 of it,
so a copy of Redis holds no usable session. A session ends after `IDLE` without a request and
`ABSOLUTE` after it began, however busy."""

from __future__ import annotations

import hashlib
import secrets
import time

from redis import Redis

from .privacy import ABSOLUTE, IDLE

_SESSION = "pgd:websession:"
_OF_USER = "pgd:websessions-of:"


def _key(sid: str) -> str:
    return _SESSION + hashlib.sha256(sid.encode()).hexdigest()


def start(redis: Redis, user_id: int) -> str:
    """A new session for the person; returns the id the cookie carries."""
    sid = secrets.token_urlsafe(32)
    key = _key(sid)
    pipe = redis.pipeline()
    pipe.hset(key, mapping={"user": user_id, "since": int(time.time())})
    pipe.expire(key, int(IDLE.total_seconds()))
    pipe.sadd(_OF_USER + str(user_id), key)
    pipe.expire(_OF_USER + str(user_id), int(ABSOLUTE.total_seconds()))
    pipe.execute()
    return sid


def user_of(redis: Redis, sid: str | None) -> int | None:
    """The person a live session belongs to (and the session renewed), or None."""
    if not sid or not isinstance(sid, str) or len(sid) > 100:
        return None
    key = _key(sid)
    found = redis.hmget(key, "user", "since")
    if found[0] is None or found[1] is None:
        return None
    if time.time() - int(found[1]) > ABSOLUTE.total_seconds():
        redis.delete(key)
        return None
    redis.expire(key, int(IDLE.total_seconds()))
    return int(found[0])


def end(redis: Redis, sid: str | None) -> None:
    """Sign this session out."""
    if sid and isinstance(sid, str):
        redis.delete(_key(sid))


def end_all(redis: Redis, user_id: int) -> int:
    """Sign the person out everywhere (disable, reset, new password); returns how many ended."""
    keys = [
        k.decode() if isinstance(k, bytes) else k for k in redis.smembers(_OF_USER + str(user_id))
    ]
    pipe = redis.pipeline()
    for key in keys:
        pipe.delete(key)
    pipe.delete(_OF_USER + str(user_id))
    results = pipe.execute()
    return sum(1 for r in results[:-1] if r)
