"""An organisation whose name says what a case is about ("LBH Anti Perdagangan Orang") is
"the complaint service" in every SMS to a reporter."""

from __future__ import annotations

from sqlalchemy import select

from casebridge import notify
from casebridge.models import Message, Organisation
from casebridge.reports import Report
from gateway.submit import submit_report


def test_telling_names_are_not_public(services, orgs):
    with services.db.session() as s:
        names = {o.code: notify.public_name(o) for o in s.scalars(select(Organisation))}
    assert names["LBH-TPPO"] is None
    assert names["KOORD"] is None
    assert names["SBMI-BWI"] == "SBMI Banyuwangi"
    assert notify.public_name("Women Crisis Center") is None


def test_the_confirmation_does_not_name_a_telling_organisation(services, orgs, jobs):
    report = Report(
        reporter_phone="+6281299990009", category="trafficking", channel="sms", sms_safe=True
    )
    submit_report(services, "telling-name", report)
    jobs.run()
    with services.db.session() as s:
        body = s.scalar(select(Message.body).where(Message.purpose == "confirmation"))
    assert "Perdagangan" not in body
