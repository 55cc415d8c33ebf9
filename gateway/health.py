"""`GET /healthz`: database and Redis state for load balancers (503 when one is down);
`degraded` (still 200) with a warning when reports failed for good and wait for an operator."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from . import failures
from .providers.registry import all_providers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    services = current_app.extensions["services"]
    db_ok = services.db.ping()
    redis_ok = services.redis_ok()
    body: dict = {
        "status": "ok" if db_ok and redis_ok else "unavailable",
        "database": "ok" if db_ok else "down",
        "redis": "ok" if redis_ok else "down",
    }
    warnings = []
    for provider in all_providers():
        if provider.health is None:
            continue
        try:
            info = provider.health(services)
        except Exception as exc:  # a provider's check must never break the health endpoint
            info = {"ok": False, "error": str(exc)[:200]}
        if info is not None:
            body.setdefault("providers", {})[provider.name] = info
            if info.get("ok") is False:
                warnings.append(f"{provider.name}: {info.get('message', 'needs attention')}")
    stuck = failures.warning(services) if db_ok else None
    if stuck:
        warnings.append(stuck)
        if body["status"] == "ok":
            body["status"] = "degraded"
    if warnings:
        body["warnings"] = warnings
    return jsonify(body), 200 if db_ok and redis_ok else 503
