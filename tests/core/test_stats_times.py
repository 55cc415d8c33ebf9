"""Times to accept and to resolve are summarised by the database: the same count, mean and
median (the middle value, or the mean of the two middle ones) on SQLite and PostgreSQL."""

from datetime import timedelta

from sqlalchemy import select

from casebridge import access, stats
from casebridge.models import Case, Intake, Organisation, Reporter, Worker, utcnow


def _cases(session, org_code: str, accept_hours: list[float], resolved: int = 0) -> None:
    org = session.scalars(select(Organisation).where(Organisation.code == org_code)).one()
    reporter = Reporter(phone=f"+62812{len(org_code):08d}")
    start = utcnow() - timedelta(days=30)
    for i, hours in enumerate(accept_hours):
        ref = f"{org_code[:3]}{i:05d}"
        intake = Intake(idempotency_key=ref, channel="desk", reference=ref, pin_seed="s")
        session.add(intake)
        session.flush()
        session.add(
            Case(
                reference=ref,
                pin_hash="x",
                intake_id=intake.id,
                status="resolved" if i < resolved else "accepted",
                category="other",
                channel="desk",
                reporter=reporter,
                worker=Worker(),
                organisation=org,
                created_at=start,
                assigned_at=start,
                accepted_at=start + timedelta(hours=hours),
                resolved_at=start + timedelta(hours=100) if i < resolved else None,
            )
        )


def test_count_mean_and_median_per_organisation_and_overall(services, orgs):
    with services.db.session() as s:
        _cases(s, "SBMI-BWI", [1, 2, 10, 20])  # even: median (2 + 10) / 2
        _cases(s, "SHELTER-HK", [3, 4, 50], resolved=2)  # odd: median 4
    with services.db.session() as s:
        found = stats.compute(s, access.all_cases(access.Filters()))
    times = found["by_organisation_times"]
    assert times["SBMI-BWI"]["time_to_accept"] == {
        "count": 4,
        "mean_hours": 8.25,
        "median_hours": 6.0,
    }
    assert times["SBMI-BWI"]["time_to_resolve"]["count"] == 0
    assert times["SHELTER-HK"]["time_to_accept"] == {
        "count": 3,
        "mean_hours": 19.0,
        "median_hours": 4.0,
    }
    assert times["SHELTER-HK"]["time_to_resolve"] == {
        "count": 2,
        "mean_hours": 100.0,
        "median_hours": 100.0,
    }
    assert found["time_to_accept"] == {"count": 7, "mean_hours": 12.86, "median_hours": 4.0}
    assert found["time_to_resolve"]["count"] == 2


def test_no_times_yet(services, orgs):
    with services.db.session() as s:
        found = stats.compute(s, access.all_cases(access.Filters()))
    empty = {"count": 0, "mean_hours": None, "median_hours": None}
    assert found["time_to_accept"] == empty and found["time_to_resolve"] == empty
    assert found["by_organisation_times"] == {}
