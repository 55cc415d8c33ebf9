"""`POST /api/v1/reports`: a desk officer, a web form or a chat bot records a report."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from flask import current_app, g, jsonify, request

from casebridge import refs
from casebridge.reports import ReportError, from_api

from ..submit import submit_report
from . import bp
from .auth import require_org


@bp.post("/reports")
@require_org
def create_report():
    data = request.get_json(silent=True)
    if data is None:
        return jsonify(error="bad_request", message="the body must be JSON (application/json)"), 400
    try:
        report = from_api(data)
    except ReportError as exc:
        return jsonify(error="invalid", message="the report has problems", fields=exc.errors), 400
    idem = request.headers.get("Idempotency-Key", "").strip()
    if len(idem) > 200:
        return jsonify(
            error="invalid", message="Idempotency-Key is longer than 200 characters"
        ), 400
    org_code = g.org.code
    report = replace(report, filed_by=org_code)
    g.session.rollback()  # the report is recorded in its own transaction
    if idem:
        key = f"api:{org_code}:{hashlib.sha256(idem.encode()).hexdigest()}"
    else:
        key = (
            f"api:{org_code}:{refs.generate()}{hashlib.sha256(request.get_data()).hexdigest()[:16]}"
        )
    receipt = submit_report(current_app.extensions["services"], key, report)
    if not receipt.same_report:
        return jsonify(
            error="idempotency_key_reused",
            message="this Idempotency-Key was already used for another report; nothing was "
            "recorded. Use a new key for a new report, or send the first report again.",
        ), 422
    body = {"reference": refs.format_ref(receipt.reference), "pin": receipt.pin, "status": "new"}
    response = jsonify(body)
    if not receipt.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201
