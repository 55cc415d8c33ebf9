"""Persist a report, then enqueue its job, then answer: the one way every channel files one."""

from __future__ import annotations

import logging
from dataclasses import replace

from casebridge import intake
from casebridge.reports import Report
from casebridge.training import is_training_phone
from workers import queues

from .services import Services

log = logging.getLogger(__name__)


def submit_report(services: Services, key: str, report: Report) -> intake.Receipt:
    """Record the intake (idempotent on `key`) and enqueue it. If Redis is down the intake is
    already safe in the database and the sweeper enqueues it later. A report from the
    training range is marked training."""
    if is_training_phone(report.reporter_phone, services.settings.simulator_phone_prefix):
        report = replace(report, training=True)
    with services.db.session() as session:
        receipt = intake.record_intake(session, key, report, services.settings.secret_key)
    if receipt.created:
        queues.enqueue(services.redis, queues.PROCESS_INTAKE, receipt.intake_id)
    return receipt
