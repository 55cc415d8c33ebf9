"""The org REST API under /api/v1 (docs/api.md; spec at /api/v1/openapi.json)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import cases, errors, events, exports, openapi, reports, stats  # noqa: E402,F401

errors.register(bp)
