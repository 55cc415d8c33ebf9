"""Pages that show personal data are never cached or framed, and their session expires: its
cookie is HttpOnly, SameSite=Lax, Secure on an https service, and lasts 30 idle minutes and at
most 12 hours."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.web.test_dashboard import sign_in


def assert_private(response) -> None:
    assert response.headers.get("Cache-Control") == "no-store"
    assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", "")


def session_cookie(response) -> dict[str, str]:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    parts = [p.strip() for p in header.split(";")[1:]]
    return {k.lower(): v for k, _, v in (p.partition("=") for p in parts)}


@pytest.mark.parametrize("settings_overrides", [{"simulator_enabled": True, "demo": True}])
def test_pages_with_personal_data_are_not_cached_or_framed(client, services, orgs):
    sign_in(client, services)
    for path in ("/dashboard/", "/dashboard/cases", "/simulator"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_private(response)
    inbox = client.get("/simulator/api/inbox?phone=%2B628990000001")
    assert inbox.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("settings_overrides", [{"public_base_url": "https://gw.example.org"}])
def test_the_session_cookie_is_guarded_and_expires(client, services, orgs):
    response = sign_in(client, services)
    cookie = session_cookie(response)
    assert {"httponly", "secure"} <= cookie.keys() and cookie["samesite"] == "Lax"
    expires = parsedate_to_datetime(cookie["expires"]) - datetime.now(UTC)
    assert timedelta(minutes=29) < expires <= timedelta(minutes=30)


def test_a_session_older_than_twelve_hours_is_signed_out(app, client, services, orgs):
    assert sign_in(client, services).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    serializer = app.session_interface.get_signing_serializer(app)
    old = serializer.loads(client.get_cookie("session").value)
    old["since"] = time.time() - 12 * 3600 - 60  # a cookie kept alive all day
    client.set_cookie("session", serializer.dumps(old))
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
