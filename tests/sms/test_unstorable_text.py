"""An SMS holding characters the database cannot store (a NUL, a lone surrogate, control
characters) is answered and stored without them, and its dialogue still files the report."""

from __future__ import annotations

from fakes.webhooks import at_sms
from sqlalchemy import select

from casebridge.models import Case

from .test_inbound_jobs import DIALOGUE, PHONE, _rows, traveller  # noqa: F401 - a fixture


def test_a_dialogue_with_a_nul_files_its_report(client, services, sms_jobs, orgs, traveller):  # noqa: F811
    texts = [
        "LAPOR gaji\u0000 belum\x1b dibayar di Malaysia",
        "1",
        "Wa\u0000ti\x07",
        *DIALOGUE[3:],
    ]
    for text in texts:
        traveller.shift(30)
        assert at_sms(client, PHONE, "20880", text).status_code == 200
        sms_jobs.run()
    assert _rows(services)[0].body == "LAPOR gaji belum dibayar di Malaysia"
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.worker.name == "Wati"
