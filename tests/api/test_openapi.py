"""The OpenAPI spec is true to the routes: every route under /api/v1 is in it and nothing else
is, and generated requests (valid and invalid) get answers the spec describes, never a 500."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.api.openapi import spec
from tests.api.conftest import api
from tests.forwarding.cases import file_case

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
            routes |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_spec_lists_exactly_the_routes(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    assert documented == flask_routes(app)


@pytest.fixture
def key(services, jobs, api_key):
    """SBMI-BWI's key, with one case of its own to find."""
    file_case(services, jobs)
    return api_key("SBMI-BWI")


schema = schemathesis.openapi.from_dict(spec())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_answers_the_spec_describes(case, app, key):
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # many examples, one key
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)


def test_real_answers_match_their_documented_schemas(app, client, network):
    spec = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    ref = network.cases["SBMI-BWI"][0]
    key = network.keys["SBMI-BWI"]
    party = {"kind": "party", "role": "broker", "name": "Pak Darto"}
    calls = [
        ("GET", "/cases", "/cases?per_page=1", {}),
        ("GET", "/cases/{reference}", f"/cases/{ref}", {}),
        ("POST", "/cases/{reference}/events", f"/cases/{ref}/events", {"json": party}),
        ("GET", "/stats", "/stats", {}),
        ("GET", "/export", "/export?format=json", {}),
        ("GET", "/cases/{reference}", "/cases/1234-5674", {}),
        ("GET", "/cases", "/cases?status=lost", {}),
    ]
    for method, template, path, kwargs in calls:
        resp = api(client, method, path, key, **kwargs)
        operation = spec[template][method]
        operation.validate_response(resp)
