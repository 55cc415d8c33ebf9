"""The org API is rate-limited per key, counted in the shared Redis: every process of the
service sees the same count; over the limit, 429 JSON with Retry-After."""

from __future__ import annotations

import pytest

from gateway.app import create_app


@pytest.fixture
def limited(app):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    return app


def get_cases(app, key):
    return app.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {key}"})


def test_a_key_over_its_limit_gets_429_in_every_process(limited, services, api_key):
    busy, other = api_key("SBMI-BWI"), api_key("SHELTER-HK")
    assert [get_cases(limited, busy).status_code for _ in range(3)] == [200, 200, 200]
    refused = get_cases(limited, busy)
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    second_process = create_app(services=services)  # another gunicorn worker, same Redis
    second_process.config["API_RATE_LIMIT"] = "3 per minute"
    assert get_cases(second_process, busy).status_code == 429
    assert get_cases(limited, other).status_code == 200
    assert not any(busy in k.decode() for k in services.redis.keys("*"))
