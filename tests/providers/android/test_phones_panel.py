"""The coordinator dashboard lists the gateway phones (never a secret)."""

from __future__ import annotations

import pytest

from tests.web.test_dashboard import sign_in

from . import phones_setup
from .phones_setup import POSTS


@pytest.fixture(scope="module")
def phone_a():
    server = phones_setup.start(POSTS["a"])
    yield server
    server.stop()


def test_the_dashboard_lists_each_phone_up_or_down(client, services, orgs, phone_a):
    phones_setup.add(services, POSTS["a"], phone_a, org="SBMI-BWI", daily_limit=150)
    phones_setup.add(services, POSTS["b"], phone_a)
    phones_setup.webhooks(client, POSTS["a"]).ping()
    assert sign_in(client, services).status_code == 302
    html = client.get("/dashboard/").get_data(as_text=True)
    table = html[html.index('id="phones"') :]
    row_a = table[table.index("post-a") : table.index("</tr>", table.index("post-a"))]
    row_b = table[table.index("post-b") : table.index("</tr>", table.index("post-b"))]
    assert "SBMI-BWI" in row_a and "0 / 150" in row_a and "81" in row_a  # battery as pinged
    assert "aktif" in row_a and "MATI" in row_b
    for post in POSTS.values():
        assert post.password not in html and post.key not in html
