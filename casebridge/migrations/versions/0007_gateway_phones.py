"""gateway phones: the Android gateway phones an operator registered (`pengaduan phones add`)

`gateway_phones`: name, address, login, encrypted password and webhook key, organisation,
daily limit, quiet hours, time zone, device id, enabled.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gateway_phones",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=24), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("password_secret", sa.Text(), nullable=False),
        sa.Column("webhook_key_secret", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("daily_limit", sa.Integer(), nullable=True),
        sa.Column("quiet", sa.String(length=11), nullable=True),
        sa.Column("timezone", sa.String(length=40), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_gateway_phones_organisation_id_organisations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_phones"),
        sa.UniqueConstraint("name", name="uq_gateway_phones_name"),
    )
    op.create_index("ix_gateway_phones_organisation_id", "gateway_phones", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("gateway_phones")
