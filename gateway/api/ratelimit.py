"""The org API's rate limit: requests per API key (per address without one), counted by
Flask-Limiter in the shared Redis so every worker process sees the same count; over it, 429
`{"error": "too_many_requests"}` with `Retry-After`."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..services import Services
from .auth import bearer_key

LIMIT = "120 per minute"
"""The default; `app.config["API_RATE_LIMIT"]` changes it."""


def _caller() -> str:
    """The bucket: a hash of the Bearer key (the key itself never reaches Redis)."""
    key = bearer_key()
    if key is None:
        return f"address:{get_remote_address()}"
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def _limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", LIMIT)


def install(app: Flask, services: Services, api: Blueprint) -> Limiter:
    """Limit every route of `api`; a Redis that is away lets requests through (logged)."""
    limiter = Limiter(
        key_func=_caller,
        storage_uri="redis://",
        storage_options={"connection_pool": services.redis.connection_pool},
        key_prefix="ratelimit:api",
        strategy="moving-window",
        headers_enabled=True,
        swallow_errors=True,
    )
    limiter.limit(_limit)(api)
    limiter.init_app(app)
    return limiter
