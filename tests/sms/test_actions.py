"""casebridge.actions and casebridge.notify: who may do what to a case, what the timeline
says, where a declined case goes, and what (little) the reporter is told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casebridge import actions, notify, taxonomy
from casebridge.models import Case, CaseEvent, Forward, Message, Organisation, Referral
from casebridge.reports import Report
from casebridge.status import TransitionError
from gateway.submit import submit_report

ACTOR = "caseworker:+6289900000002"


@pytest.fixture
def case_id(services, orgs, jobs):
    report = Report(
        reporter_phone="+60129876543",
        category="unpaid_wages",
        channel="sms",
        sms_safe=True,
        country="MY",
        province="ID-JI",
        regency="Kabupaten Banyuwangi",
    )
    submit_report(services, "actions-test", report)
    jobs.run()
    with services.db.session() as s:
        return s.scalar(select(Case.id))


def _org(s, code: str) -> Organisation:
    return s.scalar(select(Organisation).where(Organisation.code == code))


def _events(s, case_id) -> int:
    return s.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case_id))


def test_only_the_assigned_organisation_acts(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        assert case.organisation.code == "SBMI-BWI"
        before = _events(s, case_id)
        with pytest.raises(actions.ActionError) as refused:
            actions.accept(s, case, _org(s, "POSDESA-JATIM"), ACTOR)
        assert refused.value.code == "not_allowed" and _events(s, case_id) == before
        done = actions.accept(s, case, _org(s, "SBMI-BWI"), ACTOR)
        assert case.status == "accepted" and done.notice == actions.Notice("status")
        assert done.event.actor == ACTOR and done.event.organisation_id == case.organisation_id


def test_an_invalid_transition_changes_nothing(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        sbmi = _org(s, "SBMI-BWI")
        with pytest.raises(TransitionError):
            actions.update(s, case, sbmi, ACTOR, "not accepted yet")
        with pytest.raises(TransitionError):
            actions.resolve(s, case, sbmi, ACTOR)
        actions.accept(s, case, sbmi, ACTOR)
        before = _events(s, case_id)
        with pytest.raises(TransitionError):
            actions.accept(s, case, sbmi, ACTOR)
        assert case.status == "accepted" and _events(s, case_id) == before


def test_declined_cases_go_to_the_next_organisation_then_the_coordinator(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        path = []
        for _ in range(5):
            org = case.organisation
            if org.is_coordinator:
                break
            done = actions.decline(s, case, org, f"caseworker:{org.code}", "bukan wilayah kami")
            assert done.notice is None and done.assigned_to is case.organisation
            path.append(case.organisation.code)
        assert path == ["POSDESA-JATIM", "SOLIDARITAS-MY", "KOORD"]
        assert case.status == "assigned"
        with pytest.raises(actions.ActionError) as refused:
            actions.decline(s, case, case.organisation, "x", "no")
        assert refused.value.code == "coordinator"
        forwards = s.scalars(select(Forward.event).where(Forward.case_id == case_id)).all()
        assert forwards.count("case.assigned") >= 4  # each organisation learnt of it


def test_text_is_required(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        sbmi = _org(s, "SBMI-BWI")
        with pytest.raises(actions.ActionError, match="reason"):
            actions.decline(s, case, sbmi, ACTOR, "  ")
        actions.accept(s, case, sbmi, ACTOR)
        for action in (actions.update, actions.need_info, actions.note):
            with pytest.raises(actions.ActionError) as refused:
                action(s, case, sbmi, ACTOR, "")
            assert refused.value.code == "text_required"


def test_asking_and_the_reporters_answer(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        sbmi = _org(s, "SBMI-BWI")
        actions.accept(s, case, sbmi, ACTOR)
        assert actions.need_info(s, case, sbmi, ACTOR, "Kapan?").notice.kind == "question"
        again = actions.need_info(s, case, sbmi, ACTOR, "Di mana?")
        assert case.status == "needs_info" and again.event.kind == "need_info"
        done = actions.add_reporter_message(s, case, "Juli")
        assert done.event.kind == "reporter_message" and case.status == "in_progress"
        assert actions.resolve(s, case, sbmi, ACTOR, "beres").notice == actions.Notice(
            "resolved", "beres"
        )
        actions.close(s, case, sbmi, ACTOR)
        assert case.status == "closed" and case.closed_at is not None


def test_a_referral_needs_consent_and_moves_the_case_when_accepted(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        sbmi, lbh = _org(s, "SBMI-BWI"), _org(s, "LBH-TPPO")
        with pytest.raises(actions.ActionError) as refused:
            actions.refer(s, case, sbmi, ACTOR, lbh, "legal help", consent=False)
        assert refused.value.code == "consent_required"
        assert s.scalar(select(func.count(Referral.id))) == 0
        with pytest.raises(actions.ActionError, match="no such"):
            actions.refer(s, case, sbmi, ACTOR, None, "x", consent=True)
        actions.refer(s, case, sbmi, ACTOR, lbh, "legal help", consent=True)
        actions.refer(s, case, sbmi, ACTOR, lbh, "legal help", consent=True)  # once is enough
        referral = s.scalars(select(Referral)).one()
        assert (referral.state, referral.consent) == ("pending", True)
        assert s.scalar(select(Forward.id).where(Forward.event == "case.referred")) is not None
        done = actions.accept(s, case, lbh, "caseworker:lbh")
        assert referral.state == "accepted" and case.organisation_id == lbh.id
        assert case.status == "accepted" and done.assigned_to is lbh


def test_the_coordinator_routes_an_unrouted_case_without_consent(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        koord, lbh = _org(s, "KOORD"), _org(s, "LBH-NTB")
        actions.decline(s, case, case.organisation, "x", "no")
        actions.decline(s, case, case.organisation, "x", "no")
        actions.decline(s, case, case.organisation, "x", "no")
        assert case.organisation_id == koord.id
        actions.refer(s, case, koord, "caseworker:koord", lbh, "NTB", consent=False)
        assert s.scalars(select(Referral)).one().consent is False


def test_a_declined_referral_leaves_the_case_where_it_was(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        sbmi, lbh = _org(s, "SBMI-BWI"), _org(s, "LBH-TPPO")
        actions.refer(s, case, sbmi, ACTOR, lbh, "legal help", consent=True)
        done = actions.decline(s, case, lbh, "caseworker:lbh", "penuh")
        assert done.event.kind == "referral_declined"
        assert case.organisation_id == sbmi.id and case.status == "assigned"


def test_notices_never_name_the_problem(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        for category in taxonomy.CATEGORIES:
            for lang in ("id", "en"):
                for kind in ("status", "resolved"):
                    case.category = category
                    case.reporter.language = lang
                    text = notify.reporter_text(case, actions.Notice(kind))
                    assert taxonomy.category_label(category, lang).lower() not in text.lower()
                    assert f"{case.reference[:4]}-{case.reference[4:]}" in text
        s.rollback()


def test_nothing_is_queued_when_sms_is_not_safe(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        case.reporter.sms_safe = False
        before = s.scalar(select(func.count(Message.id)))
        assert notify.tell_reporter(s, case, actions.Notice("words", "halo"), "simulator") is None
        assert s.scalar(select(func.count(Message.id))) == before
        assert case.events[-1].kind == "message_withheld"


def test_the_coordinator_is_the_service_to_a_reporter(services, case_id):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        case.organisation = _org(s, "KOORD")
        text = notify.reporter_text(case, actions.Notice("words", "Kami bantu “segera” 🙏"))
        assert "layanan pengaduan" in text and "Koordinator" not in text
        assert text.endswith('Kami bantu "segera"')  # GSM-7 only: one SMS is 160, not 70
