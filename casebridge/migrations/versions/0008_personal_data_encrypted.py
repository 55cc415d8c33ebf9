"""personal data encrypted: the personal columns become text holding `<key id>:<token>`
(AES-GCM under DATA_KEY), phone numbers gain a keyed blind index for lookups, and what was
stored plain is encrypted in place, in batches.

Encrypted: reporters.phone and name, contact_events.note, migrant_workers.name and phone,
cases.description and recording_url, case_events.note and data, parties.name, contact and
note, referrals.reason, messages.phone, body and meta, intakes.payload, channel_sessions.phone,
attachments.phone, users.totp_secret. Blind indexes: reporters.phone_index (unique),
messages.phone_index, attachments.phone_index. `cases.personal_data_removed_at` records
retention and `pengaduan forget`.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.datakeys import key_id

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
REQUIRED = {
    ("messages", "phone"),
    ("messages", "body"),
    ("referrals", "reason"),
    ("parties", "name"),
    ("attachments", "phone"),
    ("intakes", "payload"),
}

# table: (text columns, JSON columns, blind index columns as (index, source))
PERSONAL = {
    "reporters": (["phone", "name"], [], [("phone_index", "phone")]),
    "contact_events": (["note"], [], []),
    "migrant_workers": (["name", "phone"], [], []),
    "cases": (["description", "recording_url"], [], []),
    "case_events": (["note"], ["data"], []),
    "parties": (["name", "contact", "note"], [], []),
    "referrals": (["reason"], [], []),
    "messages": (["phone", "body"], ["meta"], [("phone_index", "phone")]),
    "intakes": ([], ["payload"], []),
    "channel_sessions": (["phone"], [], []),
    "attachments": (["phone"], [], [("phone_index", "phone")]),
    "users": (["totp_secret"], [], []),
}


def _keys():
    return getattr(op.get_bind().dialect, "data_keys", None)


def _is_pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _to_text(table: str, column: str, nullable: bool = True, was_json: bool = False) -> None:
    extra = {"postgresql_using": f"{column}::text"} if was_json and _is_pg() else {}
    with op.batch_alter_table(table) as batch:
        batch.alter_column(
            column, type_=sa.Text(), existing_nullable=True, nullable=nullable, **extra
        )


def _refuse_without_keys() -> None:
    """Before any change: personal data to encrypt needs the keys (SQLite's schema changes are
    not undone when a migration fails, so refusing later would leave it half done)."""
    if _keys() is not None:
        return
    conn = op.get_bind()
    for name, (texts, jsons, _indexes) in PERSONAL.items():
        tbl = sa.table(name, *(sa.column(c) for c in texts + jsons))
        held = sa.or_(*(tbl.c[c].isnot(None) for c in texts + jsons))
        if conn.execute(sa.select(sa.literal(1)).select_from(tbl).where(held).limit(1)).first():
            raise RuntimeError(
                f"{name} holds personal data to encrypt: run this upgrade with DATA_KEY set "
                "(and SECRET_KEY), e.g. `pengaduan db upgrade`"
            )


def upgrade() -> None:
    _refuse_without_keys()
    with op.batch_alter_table("reporters") as batch:
        batch.drop_constraint("uq_reporters_phone", type_="unique")
        batch.add_column(sa.Column("phone_index", sa.String(32), nullable=True))
        batch.create_unique_constraint("uq_reporters_phone_index", ["phone_index"])
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_phone")
        batch.add_column(sa.Column("phone_index", sa.String(32), nullable=True))
        batch.create_index("ix_messages_phone", ["phone_index", "direction"])
    with op.batch_alter_table("attachments") as batch:
        batch.drop_index("ix_attachments_phone")
        batch.add_column(sa.Column("phone_index", sa.String(32), nullable=True))
        batch.create_index("ix_attachments_phone_index", ["phone_index"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("personal_data_removed_at", sa.DateTime(timezone=True)))
    for table, (texts, jsons, _indexes) in PERSONAL.items():
        for column in texts:
            _to_text(table, column, nullable=(table, column) not in REQUIRED)
        for column in jsons:
            _to_text(table, column, nullable=(table, column) not in REQUIRED, was_json=True)
    _rewrite(encrypt=True)
    _ussd_intake_keys()


def _ussd_intake_keys() -> None:
    """A USSD intake's idempotency key named the caller (`ussd:<provider>:<phone>:<session>`);
    it names the caller's blind index now, as the service writes it (going down, it stays).
    An intake not yet made a case whose PIN is derived from its key keeps it: the reporter
    was shown that PIN."""
    keys, conn = _keys(), op.get_bind()
    if keys is None:
        return
    tbl = sa.table(
        "intakes",
        sa.column("id", sa.Integer),
        sa.column("idempotency_key", sa.String),
        sa.column("state", sa.String),
        sa.column("pin_seed", sa.String),
    )
    settled = sa.or_(tbl.c.state == "done", tbl.c.pin_seed.isnot(None))
    rows = conn.execute(
        sa.select(tbl.c.id, tbl.c.idempotency_key).where(
            tbl.c.idempotency_key.like("ussd:%"), settled
        )
    ).all()
    changes = []
    for row_id, key in rows:
        parts = key.split(":", 3)
        if len(parts) == 4 and parts[2].lstrip("+").isdigit():
            parts[2] = keys.index(parts[2])
            changes.append({"row_id": row_id, "key": ":".join(parts)})
    if changes:
        conn.execute(
            tbl.update()
            .where(tbl.c.id == sa.bindparam("row_id"))
            .values(idempotency_key=sa.bindparam("key")),
            changes,
        )


def downgrade() -> None:
    _rewrite(encrypt=False)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("personal_data_removed_at")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_index("ix_attachments_phone_index")
        batch.drop_column("phone_index")
        batch.create_index("ix_attachments_phone", ["phone"])
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_phone")
        batch.drop_column("phone_index")
        batch.create_index("ix_messages_phone", ["phone", "direction"])
    with op.batch_alter_table("reporters") as batch:
        batch.drop_constraint("uq_reporters_phone_index", type_="unique")
        batch.drop_column("phone_index")
        batch.create_unique_constraint("uq_reporters_phone", ["phone"])


def _rewrite(encrypt: bool) -> None:
    """Every personal value encrypted (or, going down, decrypted), a batch at a time."""
    conn = op.get_bind()
    keys = _keys()
    for name, (texts, jsons, indexes) in PERSONAL.items():
        columns = texts + jsons
        tbl = sa.table(
            name,
            sa.column("id", sa.Integer),
            *(sa.column(c, sa.Text) for c in columns),
            *(sa.column(i, sa.String) for i, _ in indexes),
        )
        last = 0
        while True:
            rows = conn.execute(
                sa.select(tbl.c.id, *(tbl.c[c] for c in columns))
                .where(tbl.c.id > last)
                .order_by(tbl.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            if keys is None and any(v is not None for row in rows for v in row[1:]):
                raise RuntimeError(
                    f"{name} holds personal data to encrypt: run this upgrade with DATA_KEY set "
                    "(and SECRET_KEY), e.g. `pengaduan db upgrade`"
                )
            last = rows[-1][0]
            if keys is None:
                continue
            changes = []
            for row in rows:
                values = dict(zip(columns, row[1:], strict=True))
                new = {c: _convert(keys, v, encrypt) for c, v in values.items()}
                if encrypt:
                    for index, source in indexes:
                        plain = values[source]
                        new[index] = None if plain is None else keys.index(plain)
                changes.append({"row_id": row[0], **{f"v_{k}": v for k, v in new.items()}})
            targets = columns + ([i for i, _ in indexes] if encrypt else [])
            conn.execute(
                tbl.update()
                .where(tbl.c.id == sa.bindparam("row_id"))
                .values({c: sa.bindparam(f"v_{c}") for c in targets}),
                changes,
            )


def _convert(keys, value, encrypt: bool):
    if value is None:
        return None
    sealed = key_id(value) in keys.ids
    if encrypt:
        return value if sealed else keys.encrypt(value)
    return keys.decrypt(value) if sealed else value
