"""A STATUS by SMS is on the case's audit trail: the reporter's own, a right PIN, a wrong one."""

from __future__ import annotations

from fakes.webhooks import at_sms
from sqlalchemy import select

from casebridge import audit
from casebridge.models import Case, CaseEvent
from casebridge.reports import Report
from gateway.submit import submit_report

REPORTER = "+6281234567891"
OTHER = "+6281299990001"


def test_every_status_lookup_by_sms_is_audited(client, services, sms_jobs, orgs, fake_at):
    report = Report(reporter_phone=REPORTER, category="other", channel="sms", sms_safe=True)
    receipt = submit_report(services, "test:status-audit", report)
    sms_jobs.run()
    wrong = f"{(int(receipt.pin) + 1) % 10000:04d}"
    for phone, text in [
        (REPORTER, "STATUS"),
        (OTHER, f"STATUS {receipt.reference} {wrong}"),
        (OTHER, f"STATUS {receipt.reference} {receipt.pin}"),
    ]:
        assert at_sms(client, phone, "20880", text).status_code == 200
        sms_jobs.run()
    with services.db.session() as session:
        trail = [
            (e.kind, e.actor, e.data["outcome"], e.data["phone"])
            for e in session.scalars(
                select(CaseEvent)
                .join(Case, Case.id == CaseEvent.case_id)
                .where(Case.reference == receipt.reference, CaseEvent.kind.in_(audit.AUDIT_KINDS))
                .order_by(CaseEvent.id)
            )
        ]
    assert trail == [
        (audit.READ, "reporter:sms", audit.OWN_PHONE, "+62812****7891"),
        (audit.PIN_REFUSED, "pin:sms", audit.WRONG_PIN, "+62812****0001"),
        (audit.READ, "pin:sms", audit.RIGHT_PIN, "+62812****0001"),
    ]
