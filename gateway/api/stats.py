"""`GET /api/v1/stats`: counts and times over the caller's cases (same filters as the list)."""

from __future__ import annotations

from flask import g, jsonify, request

from casebridge import access
from casebridge import stats as case_stats

from . import bp, filters
from .auth import require_org


@bp.get("/stats")
@require_org
def stats():
    wanted = filters.parse(request.args)
    return jsonify(case_stats.compute(g.session, access.visible_cases(g.org, wanted)))
