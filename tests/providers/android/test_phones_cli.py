"""`pengaduan phones add|list|connect|disable` and `doctor`, through the real command, against a
fake phone: secrets stored encrypted and never printed after `add`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fakes.plugin import PUBLIC_BASE_URL
from sqlalchemy import select

from casebridge.models import GatewayPhone
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_SECRET

from . import phones_setup
from .phones_setup import POSTS

A = POSTS["a"]


@pytest.fixture(scope="module")
def phone_a():
    server = phones_setup.start(A)
    yield server
    server.stop()


@pytest.fixture
def run(services, orgs, tmp_path, monkeypatch, phone_a):
    phone_a.reset()
    monkeypatch.chdir(tmp_path)

    def invoke(*args, secret=TEST_SECRET):
        env = {
            "DATABASE_URL": services.settings.database_url,
            "REDIS_URL": services.settings.redis_url,
            "SECRET_KEY": secret,
            "DATA_KEY": TEST_DATA_KEY,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        }
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def add_a(run, url, *extra):
    return run("phones", "add", A.name, "--url", url, "--login", A.login,
               "--password", A.password, "--webhook-key", A.key, *extra)  # fmt: skip


def test_add_list_connect_disable(run, services, phone_a):
    added = add_a(run, phone_a.url, "--org", "SBMI-BWI", "--daily-limit", "200",
                  "--quiet", "21:00-06:00")  # fmt: skip
    assert added.exit_code == 0, added.output
    with services.db.session() as s:
        row = s.scalars(select(GatewayPhone)).one()
        assert A.password not in row.password_secret and A.key not in row.webhook_key_secret
    listing = run("phones", "list")
    assert listing.exit_code == 0
    assert "post-a" in listing.output and "SBMI-BWI" in listing.output and "0/200" in listing.output
    assert "never" in listing.output and "DOWN" in listing.output
    assert A.password not in listing.output and A.key not in listing.output
    for _ in range(2):  # idempotent: a rerun replaces the registrations
        connected = run("phones", "connect", A.name)
        assert connected.exit_code == 0, connected.output
    assert {h["url"] for h in phone_a.webhooks.values()} == {
        f"{PUBLIC_BASE_URL}/sms/android/post-a"
    }
    assert len(phone_a.webhooks) == 5
    assert run("phones", "disable", A.name).exit_code == 0
    assert "disabled" in run("phones", "list").output
    assert run("phones", "connect", A.name).exit_code == 1


@pytest.mark.parametrize(
    "extra, complaint",
    [
        (("--quiet", "9pm-6am"), "quiet hours"),
        (("--org", "NOPE"), "no organisation"),
        (("--timezone", "Mars/Olympus"), "time zone"),
    ],
)
def test_add_refuses_bad_input_and_stores_nothing(run, services, phone_a, extra, complaint):
    result = add_a(run, phone_a.url, *extra)
    assert result.exit_code != 0 and complaint in result.output
    with services.db.session() as s:
        assert s.scalars(select(GatewayPhone)).all() == []


def test_add_refuses_the_default_name_and_a_second_phone_of_the_same_name(run, phone_a):
    assert add_a(run, phone_a.url).exit_code == 0
    again = add_a(run, phone_a.url)
    assert again.exit_code == 1 and "exists already" in again.output
    default = run("phones", "add", "default", "--url", phone_a.url, "--login", "x",
                  "--password", "y", "--webhook-key", "z")  # fmt: skip
    assert default.exit_code == 2


def test_doctor_warns_about_a_phone_whose_secrets_do_not_decrypt(run, phone_a):
    assert add_a(run, phone_a.url).exit_code == 0
    assert "post-a" not in run("doctor").output
    other = run("doctor", secret="another-secret-key-entirely-0000")
    assert "gateway phone post-a" in other.output and "SECRET_KEY" in other.output
    assert (
        run("phones", "connect", A.name, secret="another-secret-key-entirely-0000").exit_code == 1
    )
