"""The intake pipeline: a report becomes exactly one routed case, even when repeated."""

from datetime import timedelta

from sqlalchemy import func, select, update

from casebridge import intake, pins, refs
from casebridge.models import Case, Intake, Message, utcnow
from casebridge.reports import Report
from gateway.services import Services, connect_redis
from gateway.submit import submit_report
from tests.conftest import TEST_SECRET


def report(**kw) -> Report:
    base = dict(
        reporter_phone="+6281234567891",
        category="unpaid_wages",
        channel="desk",
        sms_safe=True,
        country="MY",
        province="ID-JI",
        regency="Kabupaten Banyuwangi",
        regency_code="3510",
        worker_name="Wati",
        worker_gender="female",
    )
    base.update(kw)
    return Report(**base)


def count(services, model) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_report_becomes_routed_case_with_timeline_and_confirmation(services, orgs, jobs):
    receipt = submit_report(services, "k1", report())
    assert refs.is_valid(receipt.reference) and len(receipt.pin) == 4
    jobs.run()
    with services.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.reference == receipt.reference
        assert case.status == "assigned" and case.organisation.code == "SBMI-BWI"
        assert pins.verify(receipt.pin, case.pin_hash, TEST_SECRET)
        assert [e.kind for e in case.events][:2] == ["created", "status"]
        assert "best match" in case.events[1].note
        msg = s.scalars(select(Message).where(Message.purpose == "confirmation")).one()
        assert msg.phone == "+6281234567891" and msg.purpose == "confirmation"
        assert refs.format_ref(receipt.reference) in msg.body and receipt.pin in msg.body
        assert msg.status == "delivered"  # the simulator provider
        assert "gaji" not in msg.body.lower()  # never the category
        assert s.scalars(select(Intake)).one().state == "done"


def test_same_key_twice_gives_one_intake_one_case_same_answer(services, orgs, jobs):
    first = submit_report(services, "same", report())
    second = submit_report(services, "same", report(description="changed"))
    assert (second.reference, second.pin, second.created) == (first.reference, first.pin, False)
    jobs.run()
    assert count(services, Intake) == 1 and count(services, Case) == 1


def test_job_running_twice_gives_one_case_and_one_confirmation(services, orgs, jobs):
    receipt = submit_report(services, "k", report())
    jobs.run()
    from workers import jobs as job_functions
    from workers import queues

    job_functions.process_intake(receipt.intake_id)
    queues.enqueue(services.redis, queues.PROCESS_INTAKE, receipt.intake_id)
    jobs.run()
    assert count(services, Case) == 1
    with services.db.session() as s:  # one confirmation, one SMS to the caseworker
        assert sorted(s.scalars(select(Message.purpose))) == ["case_forward", "confirmation"]


def test_no_confirmation_when_sms_is_not_safe(services, orgs, jobs):
    submit_report(services, "k", report(sms_safe=False))
    jobs.run()
    with services.db.session() as s:
        assert s.scalars(select(Message.purpose)).all() == ["case_forward"]  # caseworker only
        case = s.scalars(select(Case)).one()
        assert any(e.kind == "message_withheld" for e in case.events)


def test_sweeper_recovers_an_intake_whose_enqueue_failed(services, orgs, jobs, tmp_path):
    dead = Services(services.settings, services.db, connect_redis("redis://127.0.0.1:1/0"))
    receipt = submit_report(dead, "lost", report())  # saved, but Redis refused the job
    assert receipt.created
    assert count(services, Intake) == 1
    jobs.run()
    assert count(services, Case) == 0
    jobs.tick()  # too early: a fresh intake is left alone for a minute
    jobs.run()
    assert count(services, Case) == 0
    with services.db.session() as s:
        s.execute(update(Intake).values(created_at=utcnow() - timedelta(minutes=2)))
    assert jobs.tick()["intakes"] == 1
    jobs.run()
    assert count(services, Case) == 1
    assert jobs.tick()["intakes"] == 0


def test_process_unknown_intake_is_harmless(services, jobs):
    from workers import jobs as job_functions

    assert job_functions.process_intake(424242) is None


def test_the_database_alone_never_gives_a_pin_and_a_repeat_still_does(services, orgs, jobs):
    receipt = submit_report(services, "k", report())
    jobs.run()
    with services.db.session() as s:
        row = s.scalars(select(Intake)).one()
        case = s.scalars(select(Case)).one()
        assert row.pin_seed is None and not hasattr(row, "pin_hash")
        # ten thousand tries against the stored hash find nothing without the secret key
        other_key = "a key an attacker might guess"
        assert not any(pins.verify(f"{n:04d}", case.pin_hash, other_key) for n in range(10000))
        assert pins.verify(receipt.pin, case.pin_hash, TEST_SECRET)
    again = submit_report(services, "k", report())  # after the case exists: the first answer
    assert (again.reference, again.pin, again.created) == (receipt.reference, receipt.pin, False)


def test_an_intake_recorded_with_a_seed_loses_it_once_its_case_exists(services, orgs, jobs):
    receipt = submit_report(services, "old", report())
    with services.db.session() as s:
        s.execute(update(Intake).values(pin_seed="0123456789abcdef0123456789abcdef"))
    seeded_pin = pins.derive(TEST_SECRET, "0123456789abcdef0123456789abcdef")
    with services.db.session() as s:
        assert intake.find(s, "old", TEST_SECRET).pin == seeded_pin
    jobs.run()
    with services.db.session() as s:
        assert s.scalars(select(Intake)).one().pin_seed is None
        case = s.scalars(select(Case)).one()
        assert case.reference == receipt.reference
        assert pins.verify(seeded_pin, case.pin_hash, TEST_SECRET)
        body = s.scalars(select(Message).where(Message.purpose == "confirmation")).one().body
        assert seeded_pin in body
