"""The secret key: generated once, whole, on embedded defaults; required anywhere else. The
instance folder, its database and its key are readable by their owner only."""

from __future__ import annotations

import multiprocessing
import stat

import pytest
from click.testing import CliRunner

from casebridge import private_files
from casebridge.db import Database
from casebridge.settings import Settings, SettingsError
from gateway.cli import main
from gateway.embedded_redis import EmbeddedRedis

PROCESSES = 8
STARTS = 20


def _start(instance: str, ready, answers) -> None:
    """What each gunicorn worker does first in `create_app()`."""
    ready.wait()
    try:
        answers.put(Settings.load(env={}, instance_dir=instance).with_secret().secret_key)
    except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
        answers.put(f"error: {exc!r}")


def test_processes_starting_together_on_a_fresh_instance_share_one_whole_key(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for start in range(STARTS):
        instance = tmp_path / f"start{start}" / "instance"
        ready, answers = ctx.Barrier(PROCESSES), ctx.Queue()
        procs = [
            ctx.Process(target=_start, args=(str(instance), ready, answers))
            for _ in range(PROCESSES)
        ]
        for proc in procs:
            proc.start()
        keys = [answers.get(timeout=30) for _ in procs]
        for proc in procs:
            proc.join(timeout=30)
        assert len(set(keys)) == 1, f"start {start}: {keys}"
        assert len(keys[0]) >= 40 and not keys[0].startswith("error")
        assert (instance / "secret_key").read_text() == keys[0]
        assert sorted(p.name for p in instance.iterdir()) == ["data_key", "secret_key"]  # no tmp


def test_an_empty_key_file_is_named_not_used(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("")
    with pytest.raises(private_files.PrivateFileError, match="secret_key is empty"):
        private_files.read_or_create_key(key_file, wait=0.2)


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": "postgresql://db.example.org/pengaduan"},
        {"REDIS_URL": "redis://redis.example.org:6379/0"},
    ],
)
def test_secret_key_is_required_outside_embedded_defaults(tmp_path, env):
    settings = Settings.load(env=env, instance_dir=tmp_path / "instance")
    with pytest.raises(SettingsError, match="SECRET_KEY is required"):
        settings.with_secret()
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_a_key_generated_before_is_pointed_at_when_secret_key_becomes_required(tmp_path):
    Settings.load(env={}, instance_dir=tmp_path).with_secret()
    settings = Settings.load(env={"REDIS_URL": "redis://127.0.0.1:6379/0"}, instance_dir=tmp_path)
    with pytest.raises(SettingsError, match=f"contents of {tmp_path / 'secret_key'}"):
        settings.with_secret()


def test_commands_name_secret_key_when_it_is_missing(
    tmp_path, monkeypatch, redis_url, database_url
):
    monkeypatch.chdir(tmp_path)
    bare = {"DATABASE_URL": "", "SECRET_KEY": "", "INSTANCE_PATH": "", "REDIS_URL": ""}
    starts = [
        (["serve"], {**bare, "REDIS_URL": redis_url}),
        (["worker", "--burst"], {**bare, "REDIS_URL": redis_url, "DATABASE_URL": database_url}),
        (["orgs", "list"], {**bare, "DATABASE_URL": database_url}),
    ]
    for command, env in starts:
        result = CliRunner().invoke(main, command, env=env)
        assert result.exit_code == 1, result.output
        assert "SECRET_KEY is required" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_a_new_instance_is_readable_by_its_owner_only(tmp_path):
    instance = tmp_path / "instance"
    settings = Settings.load(env={}, instance_dir=instance).with_secret()
    db = Database(settings.database_url)
    assert db.ping()
    db.dispose()
    EmbeddedRedis(instance)

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(instance) == 0o700 and mode(instance / "redis") == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert mode(instance / "pengaduan.db") == 0o600
    for journal in instance.glob("pengaduan.db-*"):  # SQLite's WAL and shared memory files
        assert mode(journal) == 0o600
