"""What failed for good and waits for an operator: intakes left `failed` (a report without its
case) and jobs in RQ's failed registries. Read by `/healthz` and `/metrics`."""

from __future__ import annotations

from redis import Redis
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from casebridge.models import Intake
from casebridge.models.intakes import IntakeState
from workers import queues

from .services import Services

SHOWN = 10
"""Intake ids named in the health warning; the rest are counted."""


def failed_intake_ids(services: Services) -> list[int]:
    with services.db.session() as session:
        query = select(Intake.id).where(Intake.state == IntakeState.FAILED).order_by(Intake.id)
        return list(session.scalars(query))


def failed_jobs(redis: Redis) -> dict[str, int]:
    """Jobs that failed after their last retry, per queue."""
    return {name: FailedJobRegistry(name, connection=redis).count for name in queues.ALL}


def warning(services: Services) -> str | None:
    """The health warning for failed intakes, naming them, or None."""
    ids = failed_intake_ids(services)
    if not ids:
        return None
    named = ", ".join(str(i) for i in ids[:SHOWN]) + (" …" if len(ids) > SHOWN else "")
    return (
        f"{len(ids)} intake(s) failed for good and have no case ({named}); "
        "see `pengaduan intakes list`, fix the cause, then `pengaduan intakes retry`"
    )
