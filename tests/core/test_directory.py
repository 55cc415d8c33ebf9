"""The organisation directory: precise errors for a bad file, nothing half-loaded."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from casebridge import directory
from casebridge.models import Caseworker, Organisation

GOOD = """
organisations:
  - code: KOORD
    name: Koordinator
    kind: coordinator
  - code: SBMI-BWI
    name: SBMI Banyuwangi
    public_name: Pos Migran Banyuwangi
    training: true
    kind: ngo
    covers:
      provinces: [ID-JI]
      regencies: [Banyuwangi]
      countries: [MY]
      categories: [unpaid_wages]
    selectable: true
    sla_hours: 48
    caseworkers: [{name: Siti, phone: "+6281234567890"}]
    forward: {sms: true, webhook: {url: "https://cms.example.org/h", secret: "0123456789abcdef"}}
"""


def org_count(services) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(Organisation))


def test_demo_directory_is_valid():
    entries = directory.parse_file(Path(__file__).parents[2] / "gateway/demo/organisations.yaml")
    assert any(e.kind == "coordinator" for e in entries)
    assert len(entries) >= 8
    assert all(e.training for e in entries)  # the simulator may act for them all
    assert sum(not e.public_name for e in entries) == 1  # LBH-TPPO shows the default
    assert all(p.startswith("+62899") for e in entries for _, p in e.caseworkers)


def test_good_file_loads_and_reloads_idempotently(services):
    with services.db.session() as s:
        result = directory.apply(s, directory.parse_text(GOOD))
    assert sorted(result.created) == ["KOORD", "SBMI-BWI"]
    with services.db.session() as s:
        result = directory.apply(s, directory.parse_text(GOOD))
    assert sorted(result.updated) == ["KOORD", "SBMI-BWI"] and not result.created
    with services.db.session() as s:
        org = s.scalars(select(Organisation).where(Organisation.code == "SBMI-BWI")).one()
        assert org.covers_provinces == ["ID-JI"] and org.webhook_url.startswith("https://")
        assert org.public_name == "Pos Migran Banyuwangi" and org.training
        assert [c.phone for c in org.caseworkers] == ["+6281234567890"]
        assert s.scalar(select(func.count()).select_from(Caseworker)) == 1


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            ("provinces: [ID-JI]", "provinces: [ID-XX]"),
            "organisation #2 (SBMI-BWI): field 'covers.provinces': 'ID-XX'",
        ),
        (("countries: [MY]", "countries: [XY]"), "field 'covers.countries': 'XY'"),
        (
            ("categories: [unpaid_wages]", "categories: [wages]"),
            "field 'covers.categories': 'wages'",
        ),
        (
            ("regencies: [Banyuwangi]", "regencies: [Atlantis]"),
            "field 'covers.regencies': 'Atlantis'",
        ),
        (("sla_hours: 48", "sla_hours: soon"), "field 'sla_hours'"),
        (("+6281234567890", "12"), "field 'caseworkers[1].phone'"),
        (("selectable: true", "selectable: maybe"), "field 'selectable'"),
        (("kind: ngo", "kind: church"), "field 'kind': 'church' is not one of"),
        (('secret: "0123456789abcdef"', "secret: short"), "field 'forward.webhook.secret'"),
        (("sla_hours: 48", "sla_hours: 48\n    colour: red"), "field 'colour': unknown field"),
        (("code: SBMI-BWI", "code: KOORD"), "code is already used by organisation #1"),
        (("name: SBMI Banyuwangi", "name: ''"), "(SBMI-BWI): field 'name': is required"),
        (("training: true", "training: yes please"), "(SBMI-BWI): field 'training'"),
        *(
            (
                ("public_name: Pos Migran Banyuwangi", f"public_name: {telling}"),
                f"organisation #2 (SBMI-BWI): field 'public_name': '{telling}' says what",
            )
            for telling in (
                "Shelter Banyuwangi",
                "LBH Perempuan Banyuwangi",
                "UPTD PPA Banyuwangi",
                "P2TP2A Banyuwangi",
                "Rumah Aman Banyuwangi",
                "Anti Trafficking Banyuwangi",
            )
        ),
    ],
)
def test_bad_file_gives_precise_error_and_loads_nothing(services, change, expected):
    text = GOOD.replace(*change)
    with pytest.raises(directory.DirectoryError) as err:
        directory.parse_text(text)
    assert any(expected in p for p in err.value.problems), err.value.problems
    assert org_count(services) == 0


def test_invalid_yaml_says_where():
    with pytest.raises(directory.DirectoryError) as err:
        directory.parse_text("organisations:\n  - code: [unclosed\n")
    assert "line" in err.value.problems[0]


def test_missing_coordinator_is_reported():
    text = GOOD.replace("kind: coordinator", "kind: ngo")
    with pytest.raises(directory.DirectoryError) as err:
        directory.parse_text(text)
    assert any("coordinator" in p for p in err.value.problems)


def test_every_problem_is_listed_at_once():
    text = GOOD.replace("ID-JI", "ID-XX").replace("[MY]", "[XY]")
    with pytest.raises(directory.DirectoryError) as err:
        directory.parse_text(text)
    assert len(err.value.problems) == 2


def test_organisations_absent_from_a_new_file_are_deactivated(services):
    with services.db.session() as s:
        directory.apply(s, directory.parse_text(GOOD))
    smaller = GOOD.split("  - code: SBMI-BWI")[0]
    with services.db.session() as s:
        result = directory.apply(s, directory.parse_text(smaller))
    assert result.deactivated == ["SBMI-BWI"]
    with services.db.session() as s:
        org = s.scalars(select(Organisation).where(Organisation.code == "SBMI-BWI")).one()
        assert not org.active
