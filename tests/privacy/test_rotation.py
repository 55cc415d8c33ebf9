"""Rotating the data key while reports keep arriving: afterwards every value and sealed file is
under the new key, the old key is gone from the instance's keyring file, every case reads back,
the reporters are found by their phone, and nothing is duplicated. An interrupted rotation
goes on where it stopped."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from casebridge import datakeys, reporters, rotation
from casebridge.datakeys import DataKeys, key_id
from casebridge.db import Database
from casebridge.models import Base, Case, Reporter
from casebridge.models.encrypted import Encrypted
from gateway.app import create_app
from gateway.cli import keys as keys_cli
from gateway.services import Services
from tests.conftest import TEST_DATA_KEY, Jobs
from tests.core.test_api_reports import BODY

OLD = DataKeys.from_text(TEST_DATA_KEY)


def raw_tokens(engine) -> list[tuple[str, str, str]]:
    """(table, column, stored text) of every encrypted value, read without any key."""
    found = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for col in table.columns:
                if isinstance(col.type, Encrypted):
                    t = sa.table(table.name, sa.column(col.name, sa.Text))
                    rows = conn.execute(select(t.c[col.name]).where(t.c[col.name].is_not(None)))
                    found += [(table.name, col.name, v) for (v,) in rows]
    return found


@pytest.fixture
def live(services, tmp_path):
    """The service as on embedded defaults: its keyring is the instance's `data_key` file,
    read again when it changes (a second process on the same database)."""
    key_file = tmp_path / "data_key"
    datakeys.write_keyring(key_file, [TEST_DATA_KEY])
    settings = replace(services.settings, data_key="", data_key_file=key_file)
    svc = Services.build(settings)
    yield svc
    svc.close()


@pytest.fixture
def raw(services):
    db = Database(services.settings.database_url)  # no keys: tokens only
    yield db.engine
    db.dispose()


def post(client, key, n: int, phone: str | None = None):
    body = {**BODY, "reporter": {**BODY["reporter"], "phone": phone or f"+62812300{n:05d}"}}
    resp = client.post(
        "/api/v1/reports",
        json={**body, "description": f"Laporan nomor {n}"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)


def seal_files(live) -> dict[Path, bytes]:
    media = live.settings.media_dir / "ab"
    recordings = live.settings.instance_dir / "recordings"
    media.mkdir(parents=True)
    recordings.mkdir()
    files = {
        media / "photo": OLD.seal(b"foto paspor"),
        recordings / "call.wav": OLD.seal(b"RIFF suara"),
        media / "plain.txt": b"a file kept before files were sealed",
    }
    for path, blob in files.items():
        path.write_bytes(blob)
        path.chmod(0o600)
    return files


def test_rotation_under_load_ends_with_every_value_under_the_new_key(
    live, raw, orgs, api_key, tmp_path
):
    key = api_key("POSDESA-JATIM")
    app = create_app(services=live)
    app.config["TESTING"] = True
    client = app.test_client()
    jobs = Jobs(live)
    for n in range(30):
        post(client, key, n)
    jobs.run()
    files = seal_files(live)
    before = {n: f"+62812300{n:05d}" for n in range(30)}

    failure = []

    def rotate():
        try:
            keys_cli.rotate_file(
                live.settings.data_key_file, raw, keys_cli.sealed_folders(live.settings), 7, 1.2
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failure.append(exc)

    worker = threading.Thread(target=rotate)
    worker.start()
    sent = 30
    while worker.is_alive():  # reports keep arriving, some from reporters known before
        post(client, key, sent, phone=before[sent % 30] if sent % 3 == 0 else None)
        sent += 1
        jobs.run()
    worker.join()
    assert not failure, failure
    jobs.run()
    assert sent > 35  # the rotation really ran under load

    (new,) = live.settings.data_key_file.read_text().split()
    new_id = DataKeys.from_text(new).current_id
    assert new_id != OLD.current_id
    tokens = raw_tokens(raw)
    assert tokens and {key_id(v) for _, _, v in tokens} == {new_id}, {
        (t, c) for t, c, v in tokens if key_id(v) != new_id
    }

    only_new = Database(live.settings.database_url, DataKeys.from_text(new))
    try:
        with only_new.session() as s:
            descriptions = sorted(s.scalars(select(Case.description)))
            assert descriptions == sorted(f"Laporan nomor {n}" for n in range(sent))
            phones = [f"+62812300{n:05d}" for n in range(sent) if n < 30 or n % 3]
            assert s.scalar(select(func.count()).select_from(Reporter)) == len(phones)
            for n, phone in before.items():
                found = reporters.find(s, phone)
                assert found is not None and found.phone == phone, n
                again = [m for m in range(30, sent) if m % 3 == 0 and m % 30 == n]
                cases = select(func.count()).where(Case.reporter_id == found.id)
                assert s.scalar(cases) == 1 + len(again), n
            reporters.opt_out(s, before[1])  # STOP from a reporter known before the rotation
        with only_new.session() as s:
            assert reporters.find(s, before[1]).opted_out
    finally:
        only_new.dispose()

    for path, blob in files.items():
        stored = path.read_bytes()
        if blob.startswith(datakeys.FILE_MAGIC):
            assert key_id(stored) == new_id and (path.stat().st_mode & 0o777) == 0o600
            assert DataKeys.from_text(new).unseal(stored) == OLD.unseal(blob)
        else:  # kept plain by an older version: sealed now
            assert key_id(stored) == new_id and (path.stat().st_mode & 0o777) == 0o600
            assert DataKeys.from_text(new).unseal(stored) == blob
    assert not [p for p in (live.settings.media_dir / "ab").iterdir() if p.name.startswith(".")]


def test_an_interrupted_rotation_goes_on_where_it_stopped(live, raw, orgs, api_key):
    key = api_key("POSDESA-JATIM")
    app = create_app(services=live)
    client = app.test_client()
    for n in range(12):
        post(client, key, n)
    Jobs(live).run()
    target = DataKeys.from_text(f"{datakeys.generate()}\n{TEST_DATA_KEY}")

    class Interrupted(Exception):
        pass

    batches = []

    def stop_after_one(table: str, done: int) -> None:
        batches.append((table, done))
        raise Interrupted

    before = rotation.pending(raw, target)
    with pytest.raises(Interrupted):
        rotation.Rotation(raw, target, batch=5, after_batch=stop_after_one).run()
    ((table, done),) = batches
    assert done > 0 and rotation.pending(raw, target) == before - done  # that batch is kept

    rerun = []
    result = rotation.Rotation(raw, target, batch=5, after_batch=lambda t, n: rerun.append(n)).run()
    assert result.complete and rotation.pending(raw, target) == 0
    assert sum(result.rows.values()) == before - done  # the kept batch is not done again
    assert {key_id(v) for _, _, v in raw_tokens(raw)} == {target.current_id}

    again = rotation.Rotation(raw, target, batch=5).run()  # nothing left: nothing done
    assert not again.rows and again.passes == 1


def test_changes_made_during_the_rotation_are_kept_and_end_under_the_new_key(
    live, raw, orgs, api_key
):
    key = api_key("POSDESA-JATIM")
    client = create_app(services=live).test_client()
    for n in range(6):
        post(client, key, n)
    Jobs(live).run()
    new = datakeys.generate()
    target = DataKeys.from_text(f"{new}\n{TEST_DATA_KEY}")
    lagging = Database(live.settings.database_url, DataKeys.from_text(f"{TEST_DATA_KEY}\n{new}"))
    with raw.connect() as conn:
        ids = [i for (i,) in conn.execute(sa.text("SELECT id FROM cases ORDER BY id"))]
    edited: list = []

    def edit_after_first_batch(table: str, _done: int) -> None:
        if table == "cases" and not edited:
            with lagging.session() as s:  # a process still encrypting under the old key
                s.get(Case, ids[0]).description = "diubah: sudah dirotasi"  # done already
                s.get(Case, ids[-1]).description = "diubah: belum dirotasi"  # not yet read
            edited.append(True)

    result = rotation.Rotation(raw, target, batch=2, after_batch=edit_after_first_batch).run()
    lagging.dispose()
    assert edited and result.passes >= 2
    reader = Database(live.settings.database_url, target)
    try:
        with reader.session() as s:
            assert s.get(Case, ids[0]).description == "diubah: sudah dirotasi"
            assert s.get(Case, ids[-1]).description == "diubah: belum dirotasi"
            assert s.get(Case, ids[1]).description == "Laporan nomor 1"
    finally:
        reader.dispose()
    assert {key_id(v) for _, _, v in raw_tokens(raw)} == {target.current_id}


def test_a_value_under_a_key_the_keyring_lacks_keeps_the_rotation_unfinished(
    live, raw, orgs, api_key
):
    key = api_key("POSDESA-JATIM")
    post(create_app(services=live).test_client(), key, 1)
    Jobs(live).run()
    stranger = DataKeys.from_text(datakeys.generate())
    with raw.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET description = :d"), {"d": stranger.encrypt("lost")})
    target = DataKeys.from_text(f"{datakeys.generate()}\n{TEST_DATA_KEY}")
    result = rotation.Rotation(raw, target).run()
    assert not result.complete and result.unreadable["cases"] == 1
    assert rotation.pending(raw, target) == 1
    assert rotation.census(raw)["cases"][stranger.current_id] == 1


def test_one_phone_twice_under_two_keys_stops_the_rotation_with_an_explanation(live, raw):
    new = datakeys.generate()
    target = DataKeys.from_text(f"{new}\n{TEST_DATA_KEY}")
    for current in (TEST_DATA_KEY, new):  # two processes that each missed the other's row
        db = Database(live.settings.database_url, DataKeys.from_text(current))
        with db.session() as s:
            s.add(Reporter(phone="+6281234567890", name="Sri"))
        db.dispose()
    before = rotation.pending(raw, target)
    with pytest.raises(rotation.RotationError, match="reporters: .*the same phone twice"):
        rotation.Rotation(raw, target).run()
    assert rotation.pending(raw, target) == before  # that batch was not written
