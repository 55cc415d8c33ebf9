"""The migrations build exactly the schema the models describe, on both back ends."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from casebridge.models import Base


def test_migrated_database_matches_the_models(services):
    with services.db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], diff
