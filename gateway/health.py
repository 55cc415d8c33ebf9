"""`GET /healthz`: database and Redis state for load balancers (503 when one is down);
`degraded` (still 200) with a warning when reports failed for good and wait for an operator,
or no worker has been seen for a minute."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from workers import heartbeat

from . import failures
from .providers.registry import all_providers

bp = Blueprint("health", __name__)


def _worker_silence(services) -> dict | None:
    """None while a worker was seen within the last minute; else how long it has been."""
    try:
        silent = heartbeat.silent_for(services.redis)
    except Exception:
        return None
    if silent is not None and silent <= heartbeat.SILENT_AFTER:
        return None
    return {"last_seen_seconds_ago": None if silent is None else int(silent)}


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
    silent = _worker_silence(services) if redis_ok else None
    if silent is not None:
        body["worker"] = silent
        warnings.append(
            "no worker seen for over a minute: reports wait until one runs (pengaduan worker)"
        )
    degraded = False
    for provider in all_providers():
        if provider.health is None:
            continue
        try:
            info = provider.health(services)
        except Exception as exc:  # a provider's check must never break the health endpoint
            info = {"ok": False, "error": str(exc)[:200]}
        if info is not None:
            body.setdefault("providers", {})[provider.name] = info
            if info.get("degraded"):  # e.g. a gateway phone is down: a message, still 200
                degraded = True
                warnings.append(f"{provider.name}: {info['degraded']}")
            if info.get("ok") is False:
                warnings.append(f"{provider.name}: {info.get('message', 'needs attention')}")
    stuck = failures.warning(services) if db_ok else None
    if stuck:
        warnings.append(stuck)
    if (stuck or silent is not None or degraded) and body["status"] == "ok":
        body["status"] = "degraded"  # reports wait for someone: still 200
    if warnings:
        body["warnings"] = warnings
    return jsonify(body), 200 if db_ok and redis_ok else 503
