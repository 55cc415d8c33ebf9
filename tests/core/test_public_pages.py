"""What anyone reaching the service sees at `/`, and the exact Content-Type of text responses."""

import pytest


def test_root_shows_what_the_service_is_and_nothing_private(client, orgs):
    resp = client.get("/")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "pekerja migran" in page
    for link in ('href="/dashboard/"', 'href="/api/v1/openapi.json"', 'href="/healthz"'):
        assert link in page
    assert "SBMI" not in page and "KOORD" not in page  # no organisation is named


def test_root_in_english(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "migrant workers" in page and "Coordinator dashboard" in page


@pytest.mark.parametrize("settings_overrides", [{"demo": True, "simulator_enabled": True}])
def test_root_opens_the_simulator_in_demo_mode(client):
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/simulator")


def test_metrics_content_type_names_its_charset_once(client):
    assert client.get("/metrics").headers["Content-Type"] == (
        "text/plain; version=1.0.0; charset=utf-8"
    )


def test_csv_export_content_type_names_its_charset_once(client, api_key):
    key = api_key("SBMI-BWI")
    resp = client.get("/api/v1/export?format=csv", headers={"Authorization": f"Bearer {key}"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
