"""The organisations a USSD reporter may choose from are shown by their public names only;
one without a public name is not offered (its directory name may tell what the case is)."""

from sqlalchemy import select

from casebridge.models import Organisation
from gateway.ussd.context import DbContext

HONG_KONG = {"category": "unpaid_wages", "country": "HK"}


def test_choices_show_public_names_and_leave_out_organisations_without_one(services, orgs):
    ctx = DbContext(services, "ussd:test")
    choices = dict(ctx.org_choices(HONG_KONG, "id"))
    assert choices.get("SHELTER-HK") == "Pusat Layanan Hong Kong"  # never "Shelter …"
    assert all("Shelter" not in name for name in choices.values())
    with services.db.session() as s:
        shelter = s.scalars(select(Organisation).where(Organisation.code == "SHELTER-HK")).one()
        shelter.public_name = None
    assert "SHELTER-HK" not in dict(ctx.org_choices(HONG_KONG, "id"))
