"""Routing: the reporter's allowed choice, else the best match, else the coordinator."""

import pytest
from sqlalchemy import select

from casebridge.models import Case, Intake, Organisation, Reporter, Worker
from casebridge.routing import CaseFacts, route


def org(session, code):
    return session.scalars(select(Organisation).where(Organisation.code == code)).one()


@pytest.mark.parametrize(
    "facts, expected",
    [
        # regency beats province: SBMI-BWI lists Banyuwangi, POSDESA-JATIM only the province
        (CaseFacts("unpaid_wages", "MY", "ID-JI", "Kabupaten Banyuwangi"), "SBMI-BWI"),
        # same province, another regency: SBMI-BWI does not cover it, the province post does
        (CaseFacts("unpaid_wages", "MY", "ID-JI", "Kabupaten Malang"), "POSDESA-JATIM"),
        (CaseFacts("unpaid_wages", "MY", "ID-JT", "Kabupaten Cilacap"), "PAR-JATENG"),
        # no province known: the destination-country organisation
        (CaseFacts("unpaid_wages", "HK", None, None), "SHELTER-HK"),
        # a category specialist when nothing more specific matches
        (CaseFacts("trafficking", None, None, None), "LBH-TPPO"),
    ],
)
def test_best_match(services, orgs, facts, expected):
    with services.db.session() as s:
        decision = route(s, facts)
        assert decision.organisation.code == expected, decision.reason
        assert "best match" in decision.reason


def test_reporter_choice_is_honoured_when_selectable_and_covering(services, orgs):
    with services.db.session() as s:
        chosen = org(s, "POSDESA-JATIM")
        d = route(
            s, CaseFacts("unpaid_wages", "MY", "ID-JI", "Kabupaten Banyuwangi"), preferred=chosen
        )
        assert d.organisation.code == "POSDESA-JATIM" and "chosen by the reporter" in d.reason


def test_reporter_choice_that_does_not_cover_falls_back(services, orgs):
    with services.db.session() as s:
        chosen = org(s, "SHELTER-HK")
        d = route(s, CaseFacts("unpaid_wages", "MY", "ID-JT", None), preferred=chosen)
        assert d.organisation.code == "PAR-JATENG"
        assert "SHELTER-HK" in d.reason


def test_non_selectable_choice_is_not_honoured(services, orgs):
    with services.db.session() as s:
        chosen = org(s, "LBH-TPPO")
        d = route(
            s, CaseFacts("unpaid_wages", "MY", "ID-JI", "Kabupaten Banyuwangi"), preferred=chosen
        )
        assert d.organisation.code == "SBMI-BWI"


def test_nobody_covers_goes_to_coordinator(services, orgs):
    with services.db.session() as s:
        d = route(s, CaseFacts("unpaid_wages", "US", "ID-PA", None))
        assert d.organisation.code == "KOORD" and "coordinator" in d.reason


def test_excluded_organisations_are_skipped(services, orgs):
    with services.db.session() as s:
        facts = CaseFacts("unpaid_wages", "MY", "ID-JI", "Kabupaten Banyuwangi")
        d = route(s, facts, exclude=[orgs["SBMI-BWI"]])
        assert d.organisation.code == "POSDESA-JATIM"


def test_ties_go_to_the_organisation_with_fewest_open_cases(services):
    from casebridge import directory

    text = """
organisations:
  - {code: KOORD, name: K, kind: coordinator}
  - {code: A, name: A, covers: {provinces: [ID-JB]}}
  - {code: B, name: B, covers: {provinces: [ID-JB]}}
"""
    with services.db.session() as s:
        directory.apply(s, directory.parse_text(text))
    facts = CaseFacts("other", None, "ID-JB", None)
    with services.db.session() as s:
        assert route(s, facts).organisation.code == "A"  # tie on load: by code
        a = org(s, "A")
        reporter = Reporter(phone="+6281200000001")
        for i in range(2):
            intake = Intake(
                idempotency_key=f"k{i}",
                channel="desk",
                reference=f"1000000{i}",
                pin_seed="s",
            )
            s.add(intake)
            s.flush()
            s.add(
                Case(
                    reference=f"1000000{i}",
                    pin_hash="x",
                    intake_id=intake.id,
                    status="assigned",
                    category="other",
                    channel="desk",
                    reporter=reporter,
                    worker=Worker(),
                    organisation=a,
                )
            )
        s.flush()
        assert route(s, facts).organisation.code == "B"


VILLAGE_POSTS = """
organisations:
  - {code: KOORD, name: K, kind: coordinator}
  - {code: POS-LOTIM, name: Pos Lombok Timur, covers: {regencies: [Lombok Timur]}}
  - {code: SBMI-NTB, name: SBMI NTB, covers: {provinces: [ID-NB], regencies: [Sumbawa]}}
  - {code: POS-KUPANG, name: Pos Kupang, covers: {regencies: [Kupang], countries: [MY]}}
"""


@pytest.fixture
def village_posts(services):
    from casebridge import directory

    with services.db.session() as s:
        directory.apply(s, directory.parse_text(VILLAGE_POSTS))


@pytest.mark.parametrize(
    "facts, expected, why",
    [
        # the province is known, the regency not: a post covering part of it, not the coordinator
        (CaseFacts("other", None, "ID-NB", None), "POS-LOTIM", "regency unknown"),
        (CaseFacts("other", "MY", "ID-NT", None), "POS-KUPANG", "regency unknown"),
        # an exact regency still comes first
        (CaseFacts("other", None, "ID-NB", "Kabupaten Sumbawa"), "SBMI-NTB", "regency"),
        (CaseFacts("other", None, "ID-NB", "Lombok Timur"), "POS-LOTIM", "regency"),
        # a known regency nobody covers is still the coordinator's
        (CaseFacts("other", None, "ID-NB", "Kabupaten Bima"), "KOORD", "coordinator"),
        # nobody covers any part of that province
        (CaseFacts("other", None, "ID-BA", None), "KOORD", "coordinator"),
        # a post covering part of a province takes only the countries it lists
        (CaseFacts("other", "HK", "ID-NT", None), "KOORD", "coordinator"),
    ],
)
def test_province_known_regency_unknown(services, village_posts, facts, expected, why):
    with services.db.session() as s:
        decision = route(s, facts)
        assert decision.organisation.code == expected, decision.reason
        assert why in decision.reason


def test_covering_part_of_the_province_is_said_on_the_timeline(services, village_posts):
    with services.db.session() as s:
        decision = route(s, CaseFacts("other", "MY", "ID-NT", None))
    assert decision.reason == (
        "best match on province (covers some of its regencies: Kupang; regency unknown), country"
    )


def test_the_whole_province_comes_before_part_of_it(services, orgs):
    from casebridge.routing import candidates

    facts = CaseFacts("unpaid_wages", "MY", "ID-JI", None)
    with services.db.session() as s:
        found = [o.code for o in candidates(s, facts)]
        assert found[:3] == ["POSDESA-JATIM", "SBMI-BWI", "SOLIDARITAS-MY"]
        assert route(s, facts).reason == "best match on province"


def test_reporter_may_choose_a_post_covering_part_of_the_province(services, orgs):
    with services.db.session() as s:
        chosen = org(s, "SBMI-BWI")
        d = route(s, CaseFacts("unpaid_wages", "MY", "ID-JI", None), preferred=chosen)
        assert d.organisation.code == "SBMI-BWI" and "chosen by the reporter" in d.reason


def test_a_case_from_a_province_reaches_the_post_and_its_timeline_says_why(
    services, village_posts, jobs
):
    from casebridge.reports import Report
    from gateway.submit import submit_report

    report = Report(reporter_phone="+6281234567891", category="other", channel="desk")
    report.province = "ID-NB"
    submit_report(services, "k-ntb", report)
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.organisation.code == "POS-LOTIM"
        assert "covers some of its regencies: Lombok Timur; regency unknown" in case.events[1].note
