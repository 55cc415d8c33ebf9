"""intakes keep only the PIN seed: the worker hashes the PIN for the case

Hashing the PIN (scrypt, ~10 ms) in the request that files a report slowed the USSD hop that
sends it and every SMS acknowledgement. The PIN is derived from the seed and the secret key,
so the worker hashes it when it makes the case.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.drop_column("pin_hash")


def downgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(length=200), nullable=True))
