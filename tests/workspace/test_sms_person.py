"""A directory caseworker's phone that is also a person's account: an UPDATE by SMS and an
update on the web are on the timeline under the same person's name."""

from __future__ import annotations

from sqlalchemy import select

from casebridge.channel_events import InboundSms
from casebridge.models import Case, CaseEvent
from gateway.sms.inbound import receive
from tests.workspace.conftest import post
from tests.workspace.signin import make_user, sign_in

DIRECTORY_PHONE = "+6289900000002"
"""Siti's phone in SBMI-BWI's directory entry (gateway/demo/organisations.yaml)."""


def _sms(services, jobs, text: str, n: int) -> None:
    receive(services, InboundSms("simulator", f"sim-{n}", DIRECTORY_PHONE, None, text))
    jobs.run()


def _actors(services, ref: str, kind: str) -> list[str]:
    with services.db.session() as s:
        case = s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))
        return list(
            s.scalars(
                select(CaseEvent.actor)
                .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_((kind, "status")))
                .order_by(CaseEvent.id)
            )
        )


def test_an_sms_command_from_a_persons_phone_is_that_person(client, services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][0]
    user_id = make_user(
        services, "SBMI-BWI", "Siti Rahayu", phone=DIRECTORY_PHONE, email="sr@x.org"
    )
    _sms(services, jobs, f"TERIMA {ref}", 1)
    _sms(services, jobs, f"UPDATE {ref} Kami sudah menelepon agensi", 2)
    sign_in(client, services, user_id)
    post(client, ref, "note", note="dari web")
    me = f"person:{user_id}"
    assert _actors(services, ref, "note")[-3:] == [me, me, me]
    timeline = client.get(f"/cases/{ref}").get_data(as_text=True).split('id="timeline"')[1]
    timeline = timeline.split("</section>")[0]
    assert timeline.count("Siti Rahayu") == 3
    assert DIRECTORY_PHONE not in timeline


def test_a_phone_without_an_account_in_that_organisation_stays_a_phone(services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][0]
    make_user(services, "SHELTER-HK", "Other Org", phone=DIRECTORY_PHONE, email="o@x.org")
    _sms(services, jobs, f"TERIMA {ref}", 1)
    assert _actors(services, ref, "none")[-1] == f"caseworker:{DIRECTORY_PHONE}"
