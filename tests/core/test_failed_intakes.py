"""An intake that keeps failing is not retried for ever in silence: after the job's last try it
is `failed` with its error, `/healthz` and `/metrics` show it, and `pengaduan intakes retry`
queues it again once the cause is fixed."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from casebridge.models import Case, Intake
from gateway.cli import main
from gateway.submit import submit_report
from tests.conftest import TEST_DATA_KEY, TEST_SECRET
from tests.core.test_intake import report
from workers import jobs as job_functions
from workers import queues


def pengaduan(services, *args):
    env = {
        "DATABASE_URL": services.settings.database_url,
        "REDIS_URL": services.settings.redis_url,
        "SECRET_KEY": TEST_SECRET,
        "DATA_KEY": TEST_DATA_KEY,
    }
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def broken(services, orgs, jobs) -> int:
    """An intake the worker cannot turn into a case (here its report lost the reporter's
    phone, as a bug in a channel could leave it): every try raises."""
    receipt = submit_report(services, "broken", report())
    with services.db.session() as s:
        intake = s.get(Intake, receipt.intake_id)
        intake.payload = {**intake.payload, "reporter_phone": None}
    return receipt.intake_id


def test_an_intake_failing_every_try_is_failed_shown_and_retried_after_a_fix(
    services, client, jobs, broken
):
    tries = len(queues.PROCESS_INTAKE.retry) + 1
    for _ in range(tries):
        with pytest.raises(Exception):  # noqa: B017 - whatever the fault, RQ sees the job fail
            job_functions.process_intake(broken)
    with services.db.session() as s:
        intake = s.get(Intake, broken)
        assert (intake.state, intake.attempts) == ("failed", tries)
        assert intake.error

    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["status"] == "degraded"
    [warning] = health.get_json()["warnings"]
    assert f"({broken})" in warning and "pengaduan intakes retry" in warning
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'pengaduan_intakes{state="failed"} 1.0' in metrics
    assert 'pengaduan_failed_jobs{queue="intake"}' in metrics

    listed = pengaduan(services, "intakes", "list")
    assert listed.exit_code == 0 and str(broken) in listed.output

    with services.db.session() as s:  # the fix
        intake = s.get(Intake, broken)
        intake.payload = {**intake.payload, "reporter_phone": "+6281234567891"}
    retried = pengaduan(services, "intakes", "retry")
    assert retried.exit_code == 0 and "1 intake(s) pending again, 1 queued" in retried.output
    jobs.run()
    with services.db.session() as s:
        assert s.get(Intake, broken).state == "done"
        assert s.scalars(select(Case.intake_id)).all() == [broken]
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert "no intake has failed" in pengaduan(services, "intakes", "list").output


def test_a_failed_try_before_the_last_leaves_the_intake_pending(services, jobs, broken):
    with pytest.raises(Exception):  # noqa: B017
        job_functions.process_intake(broken)
    with services.db.session() as s:
        intake = s.get(Intake, broken)
        assert (intake.state, intake.attempts) == ("pending", 1)
