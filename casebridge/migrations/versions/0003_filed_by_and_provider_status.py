"""cases remember the organisation that filed them; messages keep a provider's raw status

`cases.filed_by_organisation_id`: a village post that files a desk report for a walk-in keeps
read access to its status and timeline after routing assigns it elsewhere.
`messages.provider_status`: the provider's own word for a delivery state, kept as reported
(a status the service does not know is recorded as `unknown` with this raw value).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("filed_by_organisation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_cases_filed_by_organisation", "organisations", ["filed_by_organisation_id"], ["id"]
        )
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("provider_status", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("provider_status")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("fk_cases_filed_by_organisation", type_="foreignkey")
        batch.drop_column("filed_by_organisation_id")
