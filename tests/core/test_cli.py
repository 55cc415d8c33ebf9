"""The `pengaduan` command as a coordinator uses it."""

import re

import pytest
from click.testing import CliRunner

from gateway.cli import main
from tests.conftest import DEMO_ORGS, TEST_DATA_KEY, TEST_SECRET


@pytest.fixture
def run(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
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
    assert "None" not in stats and "time to accept: no cases yet" in stats


def test_cases_show_says_what_is_wrong_with_a_reference(run):
    typo = run("cases", "show", "4821-7730")
    assert typo.exit_code == 1 and "check digit is wrong" in typo.output
    short = run("cases", "show", "4821-773")
    assert short.exit_code == 1 and "8 digits" in short.output
    missing = run("cases", "show", "4821-7739")  # the README's example: valid, not filed here
    assert missing.exit_code == 1 and "no case 4821-7739" in missing.output


def test_worker_without_redis_url_explains(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["worker", "--burst"], env={"REDIS_URL": ""})
    assert result.exit_code == 1 and "REDIS_URL" in result.output


def test_menus_check_passes(run):
    result = run("menus", "check")
    assert result.exit_code == 0, result.output


def test_a_command_in_the_wrong_folder_refuses_to_start_a_new_instance(tmp_path, monkeypatch):
    bare = {k: "" for k in ("DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH", "REDIS_URL")}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["orgs", "list"], env=bare)
    assert result.exit_code == 1 and "no instance at" in result.output
    assert "INSTANCE_PATH" in result.output and not (tmp_path / "instance").exists()


def test_instance_path_points_every_command_at_one_instance(tmp_path, monkeypatch):
    from casebridge.migrate import upgrade
    from casebridge.settings import Settings

    elsewhere = tmp_path / "service" / "instance"
    settings = Settings.load(env={}, instance_dir=elsewhere).with_secret()  # what serve makes
    upgrade(settings.database_url)
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": "", "SECRET_KEY": "", "REDIS_URL": "", "INSTANCE_PATH": str(elsewhere)}
    loaded = CliRunner().invoke(main, ["orgs", "load", str(DEMO_ORGS)], env=env)
    assert loaded.exit_code == 0, loaded.output
    listed = CliRunner().invoke(main, ["orgs", "list"], env=env)
    assert "SBMI-BWI" in listed.output and not (tmp_path / "instance").exists()


def test_db_upgrade_help_names_the_option_it_has(run):
    shown = run("db", "upgrade", "--help").output
    assert "--revision" in shown and "REVISION" not in shown.replace("--revision TEXT", "")
