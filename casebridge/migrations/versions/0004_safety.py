"""safety: training organisations and cases, neutral public names, SMS safety per case, the
PIN seed dropped once its case exists

`organisations.public_name`: what reporters read (neutral); `organisations.training`: the
simulator may act for it and its cases are training cases (`cases.training`), kept out of
statistics, exports and forwarding. `cases.sms_safe`: whether SMS about this case may go to
its reporter (a later report for the same phone never loosens it). `intakes.pin_seed` becomes
nullable: it is removed once the case exists.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("public_name", sa.String(length=200), nullable=True))
        batch.add_column(
            sa.Column("training", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("training", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("sms_safe", sa.Boolean(), nullable=True))
        batch.create_index("ix_cases_training", ["training"])
    op.execute(
        "UPDATE cases SET sms_safe = (SELECT reporters.sms_safe FROM reporters"
        " WHERE reporters.id = cases.reporter_id)"
    )
    with op.batch_alter_table("intakes") as batch:
        batch.alter_column("pin_seed", existing_type=sa.String(length=32), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("intakes") as batch:
        batch.alter_column("pin_seed", existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_training")
        batch.drop_column("sms_safe")
        batch.drop_column("training")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("training")
        batch.drop_column("public_name")
