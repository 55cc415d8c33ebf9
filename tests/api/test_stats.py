"""Statistics over the caller's cases: counts by every dimension, split by gender, and how long
each organisation takes to accept and to resolve."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from casebridge.models import utcnow
from tests.api.conftest import api


def test_counts_by_dimension_and_gender(client, network):
    stats = api(client, "GET", "/stats", network.keys["KOORD"]).get_json()
    assert stats["total"] == 4
    assert stats["by_gender"] == {"female": 3, "male": 1}
    assert stats["by_country"] == {"HK": 2, "MY": 2}
    assert stats["by_organisation"] == {"SBMI-BWI": 2, "SHELTER-HK": 2}
    assert stats["gender_by"]["category"] == {
        "repatriation": {"male": 1},
        "unpaid_wages": {"female": 2},
        "violence": {"female": 1},
    }
    assert stats["gender_by"]["organisation"]["SBMI-BWI"] == {"female": 1, "male": 1}


def test_filters_apply_to_statistics(client, network):
    stats = api(client, "GET", "/stats?country=HK", network.keys["KOORD"]).get_json()
    assert stats["total"] == 2 and stats["by_organisation"] == {"SHELTER-HK": 2}
    bad = api(client, "GET", "/stats?country=Hongkong", network.keys["KOORD"])
    assert bad.status_code == 400 and "country" in bad.get_json()["fields"]


def test_time_to_accept_and_resolve_per_organisation(client, network):
    sbmi, shelter = network.cases["SBMI-BWI"][0], network.cases["SHELTER-HK"][0]

    def event(ref, code, body):
        resp = api(client, "POST", f"/cases/{ref}/events", network.keys[code], json=body)
        assert resp.status_code == 201

    start = utcnow()
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        event(sbmi, "SBMI-BWI", {"kind": "accept"})
    with time_machine.travel(start + timedelta(hours=30), tick=False):
        event(shelter, "SHELTER-HK", {"kind": "accept"})
        event(shelter, "SHELTER-HK", {"kind": "status", "status": "resolved"})
    times = api(client, "GET", "/stats", network.keys["KOORD"]).get_json()["by_organisation_times"]
    assert times["SBMI-BWI"]["time_to_accept"]["count"] == 1
    assert 5.9 < times["SBMI-BWI"]["time_to_accept"]["median_hours"] < 6.1
    assert times["SBMI-BWI"]["time_to_resolve"]["count"] == 0
    assert 29.9 < times["SHELTER-HK"]["time_to_accept"]["mean_hours"] < 30.1
    assert 29.9 < times["SHELTER-HK"]["time_to_resolve"]["mean_hours"] < 30.1
    own = api(client, "GET", "/stats", network.keys["SBMI-BWI"]).get_json()
    assert set(own["by_organisation_times"]) == {"SBMI-BWI"}


def test_pengaduan_stats_shows_times_per_organisation(services, network, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from gateway.cli import main
    from tests.conftest import TEST_DATA_KEY, TEST_SECRET

    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
    }
    result = CliRunner().invoke(main, ["stats", "--json"], env=env, catch_exceptions=False)
    figures = json.loads(result.output)
    assert figures["total"] == 4 and set(figures["by_organisation_times"]) == {
        "SBMI-BWI",
        "SHELTER-HK",
    }
