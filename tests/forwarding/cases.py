"""Making cases for the forwarding, SLA, API and export tests: a desk report, filed and run
through the real pipeline (intake job, routing, forwarding jobs)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from casebridge.models import Case, Organisation
from casebridge.reports import Report
from gateway.submit import submit_report

REPORTER_PHONE = "+6281234567891"
WORKER_PHONE = "+60123456789"
DEFAULTS = dict(
    reporter_phone=REPORTER_PHONE,
    reporter_name="Sri",
    relationship="sibling",
    category="unpaid_wages",
    channel="desk",
    sms_safe=True,
    country="MY",
    province="ID-JI",
    regency="Kabupaten Banyuwangi",
    regency_code="3510",
    worker_name="Wati",
    worker_gender="female",
    worker_phone=WORKER_PHONE,
    description="Gaji 4 bulan belum dibayar oleh PT Maju Jaya",
)
"""Routed to SBMI-BWI in the demo directory."""
IN_HONG_KONG = dict(country="HK", province=None, regency=None, regency_code=None)
"""Routed to SHELTER-HK."""


def report(**changes) -> Report:
    return Report(**{**DEFAULTS, **changes})


def file_case(services, jobs, **changes) -> str:
    """File a report, run the jobs; returns the case's reference (8 digits)."""
    receipt = submit_report(services, f"test:{uuid.uuid4().hex}", report(**changes))
    jobs.run()
    return receipt.reference


def set_channels(services, code: str, **fields) -> None:
    """Change an organisation's directory entry (forward_sms, webhook_url, email, …)."""
    with services.db.session() as s:
        org = s.scalars(select(Organisation).where(Organisation.code == code)).one()
        for name, value in fields.items():
            setattr(org, name, value)


def load_case(session, reference: str) -> Case:
    return session.scalars(select(Case).where(Case.reference == reference)).one()
