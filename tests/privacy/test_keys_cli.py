"""`pengaduan keys rotate` and `keys status` as an operator runs them: on embedded defaults the
instance's keyring file gets a new key and, at the end, loses the old one; with DATA_KEY in the
environment the operator is told each step."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from casebridge import datakeys, reporters
from casebridge.datakeys import DataKeys, key_id
from casebridge.db import Database
from casebridge.migrate import upgrade
from casebridge.models import Reporter
from casebridge.settings import Settings
from gateway.cli import main
from tests.conftest import TEST_DATA_KEY, TEST_KEYS, TEST_SECRET

PHONES = [f"+6281234500{n:03d}" for n in range(7)]


def add_reporters(db: Database) -> None:
    with db.session() as s:
        s.add_all(Reporter(phone=p, name=f"Pelapor {i}") for i, p in enumerate(PHONES))


def stored_key_ids(url: str) -> set[str]:
    db = Database(url)  # no keys: the tokens as stored
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT phone, name FROM reporters")).all()
    finally:
        db.dispose()
    return {key_id(v) for row in rows for v in row}


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance on embedded defaults with reporters and sealed files, as `serve` left it."""
    folder = tmp_path / "instance"
    settings = Settings.load(env={}, instance_dir=folder).with_secret()
    upgrade(settings.database_url, keys=settings.data_keys)
    db = Database(settings.database_url, settings.data_keys)
    add_reporters(db)
    db.dispose()
    (folder / "media").mkdir()
    (folder / "recordings").mkdir()
    (folder / "media" / "photo").write_bytes(settings.data_keys.seal(b"foto"))
    (folder / "recordings" / "call.wav").write_bytes(settings.data_keys.seal(b"suara"))
    monkeypatch.chdir(tmp_path)
    return settings


def embedded(*args):
    env = {"DATABASE_URL": None, "REDIS_URL": None, "SECRET_KEY": None, "DATA_KEY": None}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_rotate_on_embedded_defaults_ends_with_the_new_key_alone(instance):
    old = instance.data_key_file.read_text().split()
    result = embedded("keys", "rotate", "--settle", "0.2", "--batch", "3")
    assert result.exit_code == 0, result.output
    (new,) = instance.data_key_file.read_text().split()
    keys = DataKeys.from_text(new)
    assert [new] != old and keys.current_id in result.output
    assert "reporters 7" in result.output and "files: 2" in result.output
    assert "removed" in result.output
    assert stored_key_ids(instance.database_url) == {keys.current_id}
    db = Database(instance.database_url, keys)  # the old key is no longer needed
    with db.session() as s:
        assert [reporters.find(s, p).name for p in PHONES] == [f"Pelapor {i}" for i in range(7)]
    db.dispose()
    photo = (instance.instance_dir / "media" / "photo").read_bytes()
    assert keys.unseal(photo) == b"foto"

    status = embedded("keys", "status")
    assert status.exit_code == 0, status.output
    assert f"current key: {keys.current_id}" in status.output
    assert re.search(rf"reporters\s+{keys.current_id}\s+current\s+14", status.output)
    assert re.search(rf"files\s+{keys.current_id}\s+current\s+2", status.output)
    assert "keys rotate" not in status.output  # nothing left to do


def test_an_interrupted_rotation_goes_on_towards_the_key_it_began_with(instance):
    (old,) = instance.data_key_file.read_text().split()
    new = datakeys.generate()
    datakeys.write_keyring(instance.data_key_file, [new, old])  # where an interrupted one stops
    status = embedded("keys", "status")
    new_id = DataKeys.from_text(new).current_id
    assert f"current key: {new_id}" in status.output
    assert re.search(
        rf"reporters\s+{DataKeys.from_text(old).current_id}\s+older key\s+14", status.output
    )
    assert "keys rotate" in status.output

    result = embedded("keys", "rotate", "--settle", "0.1")
    assert result.exit_code == 0, result.output
    assert f"unfinished rotation to key {new_id}" in result.output
    assert instance.data_key_file.read_text().split() == [new]
    assert stored_key_ids(instance.database_url) == {new_id}


def test_a_second_rotation_at_the_same_time_refuses_and_changes_nothing(instance):
    import fcntl
    import os

    before = instance.data_key_file.read_text()
    lock = instance.data_key_file.with_name("data_key.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a rotation running in another process holds
        result = embedded("keys", "rotate", "--settle", "0.1")
    finally:
        os.close(fd)
    assert result.exit_code == 1 and "another `pengaduan keys rotate` is running" in result.output
    assert instance.data_key_file.read_text() == before
    assert stored_key_ids(instance.database_url) == {DataKeys.from_text(before).current_id}


@pytest.fixture
def environment(services, tmp_path, monkeypatch):
    """A deployment with DATA_KEY in the environment (the shared test database)."""
    monkeypatch.chdir(tmp_path)
    add_reporters(services.db)
    base = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
    }

    def run(data_key: str, *args):
        env = {**base, "DATA_KEY": data_key}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def test_rotate_with_one_key_in_the_environment_explains_the_steps(environment, services):
    result = environment(TEST_DATA_KEY, "keys", "rotate")
    assert result.exit_code == 1
    offered = re.search(r"DATA_KEY=([A-Za-z0-9_-]{43}=),<the current key>", result.output)
    assert offered, result.output
    DataKeys.from_text(offered.group(1))  # a usable new key
    assert "restart the service and every worker" in result.output
    assert "`pengaduan keys rotate` again" in result.output and "alone" in result.output
    assert stored_key_ids(services.settings.database_url) == {TEST_KEYS.current_id}


def test_rotate_with_two_keys_in_the_environment_moves_everything_to_the_first(
    environment, services
):
    new = datakeys.generate()
    new_id = DataKeys.from_text(new).current_id
    result = environment(f"{new},{TEST_DATA_KEY}", "keys", "rotate")
    assert result.exit_code == 0, result.output
    assert (
        "reporters 7" in result.output and "remove the older key(s) from DATA_KEY" in result.output
    )
    assert stored_key_ids(services.settings.database_url) == {new_id}
    assert "keys rotate" not in environment(new, "keys", "status").output
    db = Database(services.settings.database_url, DataKeys.from_text(new))
    with db.session() as s:
        assert reporters.find(s, PHONES[3]).name == "Pelapor 3"
    db.dispose()

    again = environment(f"{new},{TEST_DATA_KEY}", "keys", "rotate")  # nothing left: harmless
    assert again.exit_code == 0 and "re-encrypted values: none" in again.output


def test_status_names_values_under_a_key_the_keyring_lacks(environment):
    other = datakeys.generate()
    result = environment(other, "keys", "status")
    assert result.exit_code == 0, result.output
    assert re.search(rf"reporters\s+{TEST_KEYS.current_id}\s+unknown key\s+14", result.output)
