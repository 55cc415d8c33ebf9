"""`GET /api/v1/openapi.json`: the API's description (`openapi.yaml`), no key needed."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml
from flask import jsonify

from . import bp


@cache
def spec() -> dict:
    return yaml.safe_load((files(__package__) / "openapi.yaml").read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())
