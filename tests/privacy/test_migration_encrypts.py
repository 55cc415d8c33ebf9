"""Migration 0008 encrypts what an older version stored plain (#18): a database at revision
0007 with a reporter, a worker, an intake, a case with a timeline event and a party, and a
message, written with Core SQL in the old schema; upgraded to head with the data key, the ORM
reads the same values and the raw columns hold `<key id>:<token>`. Without the key the upgrade
refuses, saying why, and changes nothing. On a SQLite file, and on PostgreSQL when
`TEST_DATABASE_URL` is set."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from casebridge.datakeys import key_id
from casebridge.db import Database
from casebridge.migrate import current, upgrade
from casebridge.models import Case, Intake, Message, Reporter
from casebridge.models.encrypted import matches
from tests.conftest import TEST_KEYS
from tests.privacy.at_rest import found_in, pg_dump, postgres_database, sqlite_files

PHONE = "+6281234567891"
WORKER_PHONE = "+60147258369"
WORKER = "Sulastri Wulandari"
DESCRIPTION = "disekapzxq oleh majikan PT Kurniasih Jaya"
NOTE = "Tjahjono Hartanto menelepon"
BODY = "Laporan Anda diterima, Sulastri"
PAYLOAD = {"reporter_phone": PHONE, "worker_name": WORKER, "description": DESCRIPTION}
SECRETS = [PHONE, PHONE[1:], "0" + PHONE[3:], PHONE[3:], WORKER_PHONE, WORKER, "Sulastri"]
SECRETS += ["disekapzxq", "Kurniasih", "Tjahjono", "Hartanto"]

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def old_database(request, tmp_path):
    """A database at revision 0007, holding one of everything, plain."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, "0007")
        fill(url)
        yield url
        return
    with postgres_database(os.environ["TEST_DATABASE_URL"], "pengaduan_migrate_") as url:
        # postgres_database migrates to head: start again from an empty schema at 0007
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url, "0007")
        fill(url)
        yield url


def fill(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with engine.begin() as conn:
        reporter = conn.execute(
            t["reporters"]
            .insert()
            .values(
                phone=PHONE,
                name="Tjahjono Hartanto",
                language="id",
                sms_safe=True,
                opted_out=False,
                created_at=now,
            )
        ).inserted_primary_key[0]
        worker = conn.execute(
            t["migrant_workers"]
            .insert()
            .values(name=WORKER, gender="female", phone=WORKER_PHONE, country="MY")
        ).inserted_primary_key[0]
        intake = conn.execute(
            t["intakes"]
            .insert()
            .values(
                idempotency_key=f"ussd:africastalking:{PHONE}:ATUid_old1",
                channel="ussd",
                reference="12345674",
                payload=PAYLOAD,
                state="done",
                attempts=1,
                created_at=now,
            )
        ).inserted_primary_key[0]
        case = conn.execute(
            t["cases"]
            .insert()
            .values(
                reference="12345674",
                pin_hash="x",
                intake_id=intake,
                status="new",
                category="unpaid_wages",
                description=DESCRIPTION,
                channel="api",
                language="id",
                relationship="sibling",
                reporter_id=reporter,
                worker_id=worker,
                consent_to_share=False,
                overdue=False,
                training=False,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        conn.execute(
            t["case_events"]
            .insert()
            .values(
                case_id=case,
                at=now,
                kind="note",
                actor="caseworker:1",
                note=NOTE,
                data={"caller": PHONE},
            )
        )
        conn.execute(
            t["parties"]
            .insert()
            .values(
                case_id=case,
                role="employer",
                name="PT Kurniasih Jaya",
                cooperative="no",
                created_at=now,
            )
        )
        conn.execute(
            t["messages"]
            .insert()
            .values(
                direction="out",
                provider="africastalking",
                phone=PHONE,
                body=BODY,
                status="sent",
                attempts=1,
                case_id=case,
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()


def raw_columns(url: str) -> dict[str, object]:
    """The stored values of the personal columns, as a thief reads them."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    queries = {
        "reporters.phone": "SELECT phone FROM reporters",
        "reporters.name": "SELECT name FROM reporters",
        "migrant_workers.name": "SELECT name FROM migrant_workers",
        "migrant_workers.phone": "SELECT phone FROM migrant_workers",
        "cases.description": "SELECT description FROM cases",
        "case_events.note": "SELECT note FROM case_events",
        "case_events.data": "SELECT data FROM case_events",
        "parties.name": "SELECT name FROM parties",
        "messages.phone": "SELECT phone FROM messages",
        "messages.body": "SELECT body FROM messages",
        "intakes.payload": "SELECT payload FROM intakes",
    }
    with engine.connect() as conn:
        found = {name: conn.execute(sa.text(sql)).scalar_one() for name, sql in queries.items()}
    engine.dispose()
    return found


def test_the_upgrade_encrypts_what_was_stored_plain(old_database):
    url = old_database
    before = raw_columns(url)
    assert before["reporters.phone"] == PHONE and before["cases.description"] == DESCRIPTION
    upgrade(url, "head", keys=TEST_KEYS)
    assert current(url) != "0007"

    stored = raw_columns(url)
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:  # the USSD intake's key names the caller's blind index
        key = conn.execute(sa.text("SELECT idempotency_key FROM intakes")).scalar_one()
    engine.dispose()
    assert key == f"ussd:africastalking:{TEST_KEYS.index(PHONE)}:ATUid_old1"
    for column, value in stored.items():
        assert isinstance(value, str) and key_id(value) == TEST_KEYS.current_id, (column, value)
        assert TEST_KEYS.decrypt(value), column
    blobs = {"columns": "\n".join(str(v) for v in stored.values()).encode()}
    if url.startswith("sqlite"):
        blobs |= sqlite_files(url)  # the old values are not left behind in the file either
    else:
        blobs |= {"pg_dump": pg_dump(url)}
    assert found_in(blobs, SECRETS) == {}

    db = Database(url, TEST_KEYS)
    try:
        with db.session() as session:
            reporter = session.scalars(
                select_where(Reporter, matches(session, Reporter.phone_index, PHONE))
            ).one()
            assert (reporter.phone, reporter.name) == (PHONE, "Tjahjono Hartanto")
            case = session.scalars(select_where(Case, Case.reporter_id == reporter.id)).one()
            assert case.description == DESCRIPTION
            assert (case.worker.name, case.worker.phone) == (WORKER, WORKER_PHONE)
            assert [(e.note, e.data) for e in case.events] == [(NOTE, {"caller": PHONE})]
            assert [p.name for p in case.parties] == ["PT Kurniasih Jaya"]
            message = session.scalars(
                select_where(Message, matches(session, Message.phone_index, PHONE))
            ).one()
            assert (message.phone, message.body) == (PHONE, BODY)
            assert session.get(Intake, case.intake_id).payload == PAYLOAD
    finally:
        db.dispose()


def test_without_the_key_the_upgrade_refuses_and_changes_nothing(old_database):
    url = old_database
    before = raw_columns(url)
    with pytest.raises(RuntimeError, match="holds personal data to encrypt: run this upgrade"):
        upgrade(url, "head")
    assert current(url) == "0007"
    assert raw_columns(url) == before
    upgrade(url, "head", keys=TEST_KEYS)  # nothing was left half done
    assert key_id(raw_columns(url)["messages.body"]) == TEST_KEYS.current_id


def test_an_empty_database_upgrades_without_a_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url, "0007")
    upgrade(url)
    assert current(url) not in (None, "0007")


def select_where(model, *conditions):
    return sa.select(model).where(*conditions)
