"""The `pengaduan` command as a coordinator uses it."""

import re

import pytest
from click.testing import CliRunner

from gateway.cli import main
from tests.conftest import DEMO_ORGS, TEST_SECRET


@pytest.fixture
def run(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
    }

    def invoke(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def test_orgs_load_list_key(run):
    result = run("orgs", "load", str(DEMO_ORGS))
    assert result.exit_code == 0 and "13 new" in result.output
    listing = run("orgs", "list").output
    assert "SBMI-BWI" in listing and "coordinator" in listing
    key = run("orgs", "key", "SBMI-BWI")
    assert key.exit_code == 0 and re.search(r"^pgd_\S{20,}$", key.stdout, re.M)
    assert run("orgs", "key", "NOPE").exit_code == 1


def test_orgs_load_bad_file_lists_problems_and_loads_nothing(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        DEMO_ORGS.read_text()
        .replace("ID-JI", "ID-XX", 1)
        .replace("sla_hours: 48", "sla_hours: x", 1)
    )
    result = run("orgs", "load", str(bad))
    assert result.exit_code == 1
    assert "'ID-XX'" in result.output and "sla_hours" in result.output
    assert "nothing was loaded" in result.output
    assert "no organisations yet" in run("orgs", "list").output


def test_cases_show_and_stats(run, client, services, api_key, jobs):
    run("orgs", "load", str(DEMO_ORGS))
    resp = client.post(
        "/api/v1/reports",
        json={
            "reporter": {"phone": "+6281234567891", "sms_safe": True},
            "worker": {"gender": "female", "country": "HK"},
            "category": "unpaid_wages",
        },
        headers={"Authorization": f"Bearer {api_key('SBMI-BWI')}"},
    )
    ref = resp.get_json()["reference"]
    jobs.run()
    shown = run("cases", "show", ref).output
    assert ref in shown and "assigned" in shown and "SHELTER-HK" in shown
    assert "+6281234567891" not in shown and "+62812****7891" in shown
    assert "+6281234567891" in run("cases", "show", ref, "--unmask").output
    assert run("cases", "show", "1234-5678").exit_code == 1
    stats = run("stats").output
    assert "cases: 1" in stats and "female" in stats and "unpaid_wages" in stats


def test_worker_without_redis_url_explains(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["worker", "--burst"], env={"REDIS_URL": ""})
    assert result.exit_code == 1 and "REDIS_URL" in result.output


def test_menus_check_passes(run):
    result = run("menus", "check")
    assert result.exit_code == 0, result.output
