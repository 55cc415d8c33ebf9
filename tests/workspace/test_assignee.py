"""`actions.take` / `actions.give`: the person working a case is of the organisation holding
it, and stops being its worker when the case leaves that organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casebridge import actions, notify
from casebridge.models import Case, User


def _case(s, ref: str) -> Case:
    return s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))


def test_only_a_colleague_of_the_holding_organisation_works_the_case(services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case, budi, mei = (
            _case(s, ref),
            s.get(User, desk.users["budi"]),
            s.get(User, desk.users["mei"]),
        )
        done = actions.give(s, case, case.organisation, "person:1", budi)
        assert case.assignee_id == budi.id and done.event.data == {"assignee": f"person:{budi.id}"}
        with pytest.raises(actions.ActionError) as refused:
            actions.give(s, case, case.organisation, "person:1", mei)
        assert refused.value.code == "not_colleague" and case.assignee_id == budi.id
        budi.active = False
        with pytest.raises(actions.ActionError):
            actions.take(s, case, case.organisation, "person:2", budi)


def test_a_case_that_moves_on_has_no_worker(services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = _case(s, ref)
        actions.take(s, case, case.organisation, "person:1", s.get(User, desk.users["siti"]))
        actions.decline(s, case, case.organisation, "person:1", "di luar wilayah")
        assert case.organisation.code != "SBMI-BWI" and case.assignee_id is None


def test_a_closed_case_is_not_taken(services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = _case(s, ref)
        org = case.organisation
        for step in ("accept", "resolve", "close"):
            getattr(actions, step)(s, case, org, "t")
        with pytest.raises(actions.ActionError) as refused:
            actions.take(s, case, org, "t", s.get(User, desk.users["siti"]))
        assert refused.value.code == "case_closed"


def test_the_preview_is_the_text_tell_reporter_queues(services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = _case(s, ref)
        done = actions.accept(s, case, case.organisation, "t")
        shown = notify.preview(done.case, done.notice)
        message = notify.tell_reporter(s, done.case, done.notice, "simulator")
        assert shown.sends and message.body == shown.text
        assert notify.preview(case, None) == notify.Preview(None, notify.NOTHING_TO_TELL)
