"""Many cases at once, written straight to the tables (the pipeline is too slow for 10,000)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from casebridge import refs, reporters
from casebridge.models import Case, CaseEvent, Intake, Organisation, Worker, utcnow

GENDERS = ("female", "male", "unspecified")


def _ids(session, model, rows: list[dict]) -> list[int]:
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(stmt, rows))


def seed(services, count: int, org_code: str = "SBMI-BWI") -> list[str]:
    """`count` assigned cases of `org_code`, each with two timeline events; returns their
    references. Now and then a description starts with `=`, as a hostile reporter might
    write."""
    rng = random.Random(count)
    now = utcnow()
    with services.db.session() as s:
        org_id = s.scalar(select(Organisation.id).where(Organisation.code == org_code))
        reporter_id = reporters.get_or_create(s, "+6281299990000").id
        used = set(s.scalars(select(Case.reference)))
        references: list[str] = []
        while len(references) < count:
            body = f"{rng.randrange(10**7):07d}"
            ref = body + refs.check_digit(body)
            if ref not in used:
                used.add(ref)
                references.append(ref)
        workers = _ids(
            s,
            Worker,
            [
                {"name": f"Pekerja {i}", "gender": GENDERS[i % 3], "country": "MY"}
                for i in range(count)
            ],
        )
        intakes = _ids(
            s,
            Intake,
            [
                {
                    "idempotency_key": f"seed:{ref}",
                    "channel": "sms",
                    "reference": ref,
                    "pin_seed": "x",
                    "payload": {},
                    "state": "done",
                }
                for ref in references
            ],
        )
        cases = _ids(
            s,
            Case,
            [
                {
                    "reference": ref,
                    "pin_hash": "x",
                    "intake_id": intake,
                    "status": "assigned",
                    "category": "unpaid_wages",
                    "channel": "sms",
                    "reporter_id": reporter_id,
                    "worker_id": worker,
                    "organisation_id": org_id,
                    "description": '=HYPERLINK("http://x")' if i % 97 == 0 else f"Kasus {i}",
                    "created_at": now - timedelta(minutes=i),
                    "assigned_at": now,
                }
                for i, (ref, intake, worker) in enumerate(
                    zip(references, intakes, workers, strict=True)
                )
            ],
        )
        s.execute(
            insert(CaseEvent),
            [
                {"case_id": case, "at": now, "kind": kind, "actor": "seed", "note": note}
                for case in cases
                for kind, note in (("created", "report received by sms"), ("status", "routed"))
            ],
        )
    return [refs.format_ref(r) for r in references]
