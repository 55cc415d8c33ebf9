"""Input no channel can store or parse gets a clear answer and never a 500, and a report that
carries such characters still becomes its case (PostgreSQL refuses a NUL in text)."""

import http.client
import json
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from casebridge.models import Case
from tests.core.test_api_reports import BODY, _with, counts, post
from tests.web.test_dashboard import sign_in


def test_unstorable_characters_are_cleaned_and_the_report_becomes_its_case(
    client, services, api_key, jobs
):
    body = _with("description", "Gaji\u0000 belum\ud800 dibayar\r\nsudah 4 bulan\x1b\tya")
    body["worker"]["name"] = "Wa\u0000ti"
    resp = post(client, api_key("SBMI-BWI"), body)
    assert resp.status_code == 201
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.description == "Gaji belum dibayar\nsudah 4 bulan\tya"
        assert case.worker.name == "Wati"


def test_a_note_with_a_nul_is_recorded_without_it(client, services, api_key, jobs):
    key = api_key("SBMI-BWI")
    reference = post(client, key).get_json()["reference"]
    jobs.run()
    resp = client.post(
        f"/api/v1/cases/{reference}/events",
        json={"kind": "note", "note": "ditelepon\u0000 pagi ini"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert resp.status_code in (200, 201), resp.get_json()
    with services.db.session() as s:
        assert any(e.note == "ditelepon pagi ini" for e in s.scalars(select(Case)).one().events)


@pytest.mark.parametrize("nested", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000])
def test_json_nested_1000_deep_is_a_400(client, services, api_key, nested):
    resp = client.post(
        "/api/v1/reports",
        data=nested,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_key('SBMI-BWI')}"},
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"] == "bad_request"
    assert counts(services) == (0, 0, 0)


@pytest.mark.parametrize("page", [str(10**21), "9" * 5000])
def test_a_page_past_any_page_is_a_400_in_the_api(client, api_key, page):
    resp = client.get(
        f"/api/v1/cases?page={page}", headers={"Authorization": f"Bearer {api_key('SBMI-BWI')}"}
    )
    assert resp.status_code == 400
    assert "page" in resp.get_json()["fields"]


@pytest.mark.parametrize("page", [str(10**21), "9" * 5000, "-3", "x"])
def test_a_page_past_any_page_on_the_dashboard_shows_the_first(client, services, orgs, page):
    sign_in(client, services)
    resp = client.get(f"/dashboard/cases?page={page}")
    assert resp.status_code == 200


@pytest.fixture
def served(app):
    """The app behind a real HTTP server (werkzeug's), which decodes chunked bodies."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def post_chunked(port: int, key: str, body: bytes) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    chunks = (body[i : i + 8192] for i in range(0, len(body), 8192))
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conn.request("POST", "/api/v1/reports", body=chunks, headers=headers, encode_chunked=True)
    response = conn.getresponse()
    answer = json.loads(response.read())
    conn.close()
    return response.status, answer


def test_a_chunked_body_over_the_limit_is_413(served, services, api_key):
    padded = json.dumps(_with("description", "x" * services.settings.max_body_bytes)).encode()
    status, answer = post_chunked(served, api_key("SBMI-BWI"), padded)
    assert (status, answer["error"]) == (413, "request_entity_too_large")
    assert counts(services) == (0, 0, 0)


def test_a_chunked_body_within_the_limit_is_read(served, services, api_key):
    status, answer = post_chunked(served, api_key("SBMI-BWI"), json.dumps(BODY).encode())
    assert status == 201 and answer["pin"]
