"""`pengaduan export`: the same files from the console, with a progress bar."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from lxml import etree

from casebridge.exports import csvfile, xmlfile
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_SECRET
from tests.exports.seed import seed
from tests.forwarding.cases import IN_HONG_KONG, file_case


@pytest.fixture
def run(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
    }

    def invoke(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def test_export_every_format_to_a_file(run, services, orgs, tmp_path):
    seed(services, 250)
    for fmt in ("csv", "json", "xml"):
        out = tmp_path / f"cases.{fmt}"
        result = run("export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert "exporting 250 cases" in result.output and "wrote 250 cases" in result.output
    with (tmp_path / "cases.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 250 and tuple(rows[0]) == csvfile.COLUMNS
    assert len(json.loads((tmp_path / "cases.json").read_text())["cases"]) == 250
    document = etree.parse(str(tmp_path / "cases.xml"))
    xmlfile.schema().assertValid(document)
    assert len(document.getroot()) == 250


def test_export_one_organisations_cases_since_a_date(run, services, jobs, orgs, tmp_path):
    mine = file_case(services, jobs)
    file_case(services, jobs, **IN_HONG_KONG)
    out = tmp_path / "sbmi.json"
    assert run("export", "--format", "json", "--org", "SBMI-BWI", "-o", str(out)).exit_code == 0
    cases = json.loads(out.read_text())["cases"]
    assert [c["reference"].replace("-", "") for c in cases] == [mine]
    later = run("export", "--format", "json", "--since", "2999-01-01", "-o", str(out))
    assert later.exit_code == 0 and json.loads(out.read_text())["cases"] == []
    unknown = run("export", "--format", "csv", "--org", "NOPE", "-o", str(out))
    assert unknown.exit_code == 1 and "no organisation with code 'NOPE'" in unknown.output


def test_the_console_export_shows_the_decrypted_people_and_words(
    run, services, jobs, orgs, tmp_path
):
    ref = file_case(
        services,
        jobs,
        reporter_phone="+6281234567891",
        worker_name="Sulastri Wulandari",
        description="disekapzxq oleh majikan",
    )
    out = tmp_path / "cases.csv"
    result = run("export", "--format", "csv", "--full-phones", "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["reference"].replace("-", "") == ref
    assert row["reporter_phone"] == "'+6281234567891"  # a leading + is neutralised
    assert row["worker_name"] == "Sulastri Wulandari"
    assert row["description"] == "disekapzxq oleh majikan"


def test_the_console_export_under_another_key_refuses_clearly(services, jobs, orgs, tmp_path):
    from casebridge.datakeys import generate

    file_case(services, jobs, worker_name="Sulastri Wulandari")
    out = tmp_path / "cases.csv"
    env = {
        "DATABASE_URL": services.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": generate(),
    }
    result = CliRunner().invoke(main, ["export", "--format", "csv", "-o", str(out)], env=env)
    assert result.exit_code != 0
    written = out.read_text(errors="replace") if out.exists() else ""
    assert "Sulastri" not in result.output and "Sulastri" not in written
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "which DATA_KEY does not hold" in result.output and "keys status" in result.output
