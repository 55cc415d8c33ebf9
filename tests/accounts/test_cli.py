"""`pengaduan users …` through the real console entry point."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casebridge.models import Invite, User
from gateway.cli import main
from gateway.web import websessions
from tests.conftest import DEMO_ORGS, TEST_DATA_KEY, TEST_SECRET
from tests.people import make_person


@pytest.fixture
def run(services, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "PUBLIC_BASE_URL": "https://gw.example.org",
    }

    def invoke(*args):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    invoke("orgs", "load", str(DEMO_ORGS))
    return invoke


def test_invite_prints_a_one_time_link_and_list_shows_the_state(run, services):
    done = run(
        "users", "invite", "Ana@Example.org", "--org", "KOORD", "--role", "coordinator",
        "--name", "Ana", "--phone", "0812 3456 7003",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert re.fullmatch(r"https://gw\.example\.org/invite/[\w-]{40,}\n", done.stdout)
    with services.db.session() as s:
        user = s.scalar(select(User).where(User.email == "ana@example.org"))
        assert user.phone == "+6281234567003" and user.role == "coordinator"
    listing = run("users", "list").output
    assert re.search(r"ana@example\.org\s+Ana\s+KOORD\s+coordinator\s+invited\s+-", listing)
    make_person(services, "SBMI-BWI", email="siti@example.org")
    only = run("users", "list", "--org", "SBMI-BWI").output
    assert "siti@example.org" in only and "active" in only and "ana@example.org" not in only


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("invite", "not-an-email", "--org", "KOORD", "--role", "caseworker"), "not an email"),
        (("invite", "a@example.org", "--org", "NOPE", "--role", "caseworker"), "no organisation"),
        (("invite", "a@example.org", "--org", "SBMI-BWI", "--role", "boss"), "boss"),
        (("invite", "a@example.org", "--org", "SBMI-BWI", "--role", "coordinator"), "may not"),
        (
            (
                "invite",
                "a@example.org",
                "--org",
                "SBMI-BWI",
                "--role",
                "caseworker",
                "--phone",
                "12",
            ),
            "not a phone number",
        ),  # fmt: skip
        (("disable", "nobody@example.org"), "no account"),
        (("reset", "nobody@example.org"), "no account"),
        (("list", "--org", "NOPE"), "no organisation"),
    ],
)
def test_bad_input_is_said_plainly_with_exit_2(run, services, args, says):
    result = run("users", *args)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    with services.db.session() as s:
        assert s.scalars(select(User)).first() is None


def test_inviting_a_ready_person_is_refused(run, services):
    person = make_person(services, "SBMI-BWI")
    result = run("users", "invite", person.email, "--org", "SBMI-BWI", "--role", "caseworker")
    assert result.exit_code == 2 and "already has an account" in result.output


def test_disable_and_reset_end_every_session(run, services):
    person = make_person(services, "SBMI-BWI")
    sid = websessions.start(services.redis, person.id)
    assert run("users", "disable", person.email).exit_code == 0
    assert websessions.user_of(services.redis, sid) is None
    assert "disabled" in run("users", "list").output
    sid = websessions.start(services.redis, person.id)
    reset = run("users", "reset", person.email.upper())
    assert reset.exit_code == 0 and reset.stdout.startswith("https://gw.example.org/invite/")
    assert websessions.user_of(services.redis, sid) is None
    with services.db.session() as s:
        user = s.get(User, person.id)
        assert user.password_hash is None and user.second_factor is None and user.active
        assert s.scalars(
            select(Invite).where(Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        ).one()
    assert "invited" in run("users", "list").output


def test_doctor_warns_while_no_coordinator_can_sign_in(run, services):
    assert "no coordinator account can sign in" in run("doctor").output
    run("users", "invite", "ana@example.org", "--org", "KOORD", "--role", "coordinator")
    assert "no coordinator account can sign in" in run("doctor").output  # only invited
    make_person(services, "KOORD", "coordinator")
    assert "no coordinator account" not in run("doctor").output
