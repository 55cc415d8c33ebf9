"""Shared fixtures: a real database and a real Redis for every test.

With `TEST_DATABASE_URL` set (CI: PostgreSQL) each test session gets a fresh database on that
server; otherwise a SQLite file. With `REDIS_URL` set, that Redis (its database is flushed
between tests); otherwise an embedded Redis started for the session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casebridge.datakeys import DataKeys
from casebridge.migrate import upgrade
from casebridge.models import Base
from casebridge.settings import Settings
from gateway.services import Services

DEMO_ORGS = Path(__file__).resolve().parent.parent / "gateway" / "demo" / "organisations.yaml"
TEST_SECRET = "test-secret-key-not-for-production"
TEST_DATA_KEY = "dGVzdC1kYXRhLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="
"""32 bytes in URL-safe base64: the data key every test instance shares."""
TEST_KEYS = DataKeys.from_text(TEST_DATA_KEY)


def phone_index(phone: str) -> str:
    """The blind index a phone number is stored under with the tests' data key."""
    return TEST_KEYS.index(phone)


for _var in ("TWILIO_REGION", "TWILIO_EDGE"):  # they rewrite the SDK's URLs (protocols.md §0.3)
    os.environ.pop(_var, None)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    from gateway.embedded_redis import EmbeddedRedis

    embedded = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield embedded.start()
    embedded.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    base = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"pengaduan_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_settings(database_url: str, redis_url: str, instance_dir: Path, **overrides) -> Settings:
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
        "SMS_PROVIDER": "simulator",
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "ALLOW_UNSIGNED_WEBHOOKS": "true",  # most tests post as a provider with no secret set
    }
    return Settings.load(env=env, instance_dir=instance_dir, **overrides)


def _clean(services: Services) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with services.db.engine.begin() as conn:
        if services.db.is_sqlite:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    services.redis.flushdb()


@pytest.fixture
def settings_overrides() -> dict:
    """Override in a test module to change settings for its services and app."""
    return {}


@pytest.fixture
def services(database_url, redis_url, tmp_path, settings_overrides) -> Iterator[Services]:
    svc = Services.build(make_settings(database_url, redis_url, tmp_path, **settings_overrides))
    _clean(svc)
    from workers import heartbeat

    heartbeat.beat(svc.redis)  # the suite's worker is `jobs`, in this process
    yield svc
    svc.close()


@pytest.fixture
def app(services):
    from gateway.app import create_app

    application = create_app(services=services)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


class Jobs:
    """Runs queued jobs the way `pengaduan worker --burst` does, in this process."""

    def __init__(self, services: Services, senders: dict | None = None):
        from gateway.cli.worker import configure_runtime
        from workers import runtime

        configure_runtime(services)
        if senders is not None:
            runtime.current().senders.update(senders)
        self.services = services

    @property
    def senders(self) -> dict:
        from workers import runtime

        return runtime.current().senders

    def run(self) -> None:
        from workers.runner import make_worker

        make_worker(self.services.redis).work(burst=True, logging_level="WARNING")

    def tick(self) -> dict:
        from workers import jobs

        return jobs.tick()


@pytest.fixture
def jobs(services) -> Jobs:
    return Jobs(services)


@pytest.fixture
def orgs(services) -> dict[str, int]:
    """The example directory, loaded; returns organisation ids by code."""
    from casebridge import directory

    with services.db.session() as session:
        directory.load(session, DEMO_ORGS)
        from sqlalchemy import select

        from casebridge.models import Organisation

        return {o.code: o.id for o in session.scalars(select(Organisation))}


@pytest.fixture
def api_key(services, orgs):
    """`api_key("SBMI-BWI")` issues a key for that organisation."""
    from sqlalchemy import select

    from casebridge import apikeys
    from casebridge.models import Organisation

    def issue(code: str) -> str:
        with services.db.session() as session:
            org = session.scalars(select(Organisation).where(Organisation.code == code)).one()
            return apikeys.issue(session, org)

    return issue


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--screenshots",
        metavar="DIR",
        help="write the README's screenshots (simulator.png, dashboard.png) into DIR;"
        " by default they go to a temporary folder and no tracked file changes",
    )


@pytest.fixture
def sign_in_as(client, services):
    """`sign_in_as(user)` signs the test client (or `other=` client) in as that person, with a
    real server-side session (`tests.people.make_person` makes one)."""
    from tests.people import sign_in_as as _sign_in

    def sign(user, other=None) -> str:
        return _sign_in(other or client, services, user)

    return sign
