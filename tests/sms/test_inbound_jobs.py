"""The inbound job: once per message however often it runs, in order per phone, a report
submitted exactly once even after a crash, the dialogue forgotten after a day, and a message
that keeps failing set aside instead of retried forever."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from fakes.webhooks import at_sms
from sqlalchemy import func, select

from casebridge.models import Case, Message, utcnow
from gateway.sms import handler
from gateway.sms import jobs as sms_jobs_module
from tests.conftest import phone_index

PHONE = "+60129876543"
DIALOGUE = ["LAPOR gaji belum dibayar di Malaysia", "1", "Wati", "1", "Banyuwangi", "1"]


def _send(client, jobs, traveller, text, run=True, after=30):
    traveller.shift(after)
    assert at_sms(client, PHONE, "20880", text).status_code == 200
    if run:
        jobs.run()


def _rows(services, direction="in"):
    with services.db.session() as s:
        return list(
            s.scalars(
                select(Message)
                .where(Message.direction == direction, Message.phone_index == phone_index(PHONE))
                .order_by(Message.id)
            )
        )


def _cases(services) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count(Case.id)))


@pytest.fixture
def traveller():
    with time_machine.travel(utcnow(), tick=True) as t:
        yield t


def test_running_the_job_again_does_nothing(client, services, sms_jobs, orgs, traveller):
    _send(client, sms_jobs, traveller, DIALOGUE[0])
    [row] = _rows(services)
    replies = len(_rows(services, "out"))
    assert sms_jobs_module.handle_inbound(row.id) == "done"
    assert sms_jobs_module.handle_inbound(row.id) == "done"
    assert len(_rows(services, "out")) == replies
    assert sms_jobs_module.handle_inbound(999999) == "missing"


def test_messages_of_a_phone_are_handled_in_order(client, services, sms_jobs, orgs, traveller):
    """Two answers whose jobs run in the wrong order are still read in arrival order."""
    _send(client, sms_jobs, traveller, DIALOGUE[0])
    _send(client, sms_jobs, traveller, "1", run=False)
    _send(client, sms_jobs, traveller, "Wati", run=False)
    rows = _rows(services)
    sms_jobs_module.handle_inbound(rows[-1].id)  # the later one first: it takes both
    assert [r.status for r in _rows(services)] == ["done", "done", "done"]
    last = _rows(services, "out")[-1]
    assert "Jenis kelamin" in last.body


def test_a_crash_after_the_dialogue_still_files_one_report(
    client, services, sms_jobs, orgs, traveller, monkeypatch
):
    for text in DIALOGUE[:-1]:
        _send(client, sms_jobs, traveller, text)

    def crash(*args, **kwargs):
        raise ConnectionError("database went away")

    with monkeypatch.context() as m:
        m.setattr(sms_jobs_module, "submit_report", crash)
        _send(client, sms_jobs, traveller, DIALOGUE[-1])
    assert _rows(services)[-1].status == "submitting" and _cases(services) == 0
    traveller.shift(120)
    sms_jobs.tick()
    sms_jobs.run()
    assert _rows(services)[-1].status == "done" and _cases(services) == 1
    sms_jobs_module.handle_inbound(_rows(services)[-1].id)
    assert _cases(services) == 1


def test_the_dialogue_is_forgotten_after_a_day(client, services, sms_jobs, orgs, traveller):
    _send(client, sms_jobs, traveller, DIALOGUE[0])
    assert "Anda siapa" in _rows(services, "out")[-1].body
    traveller.shift(timedelta(hours=25))
    _send(client, sms_jobs, traveller, "1")
    assert "Di negara mana" in _rows(services, "out")[-1].body  # a new report, starting over


def test_a_short_answer_may_repeat_once_we_asked_again(client, services, sms_jobs, orgs, traveller):
    _send(client, sms_jobs, traveller, DIALOGUE[0])
    _send(client, sms_jobs, traveller, "1")
    _send(client, sms_jobs, traveller, "Wati", after=3)
    _send(client, sms_jobs, traveller, "1", after=3)  # 6 s after the first "1": an answer
    assert [r.status for r in _rows(services)] == ["done"] * 4
    assert "kabupaten/kota" in _rows(services, "out")[-1].body


def test_a_short_resend_before_any_reply_is_a_duplicate(
    client, services, sms_jobs, orgs, traveller
):
    _send(client, sms_jobs, traveller, DIALOGUE[0])
    _send(client, sms_jobs, traveller, "1", run=False)
    _send(client, sms_jobs, traveller, "1", run=False, after=2)
    sms_jobs.run()
    assert [r.status for r in _rows(services)] == ["done", "done", "duplicate"]


def test_a_message_that_keeps_failing_is_set_aside(
    client, services, sms_jobs, orgs, traveller, monkeypatch
):
    def broken(turn):
        raise RuntimeError("bug")

    monkeypatch.setattr(handler, "handle", broken)
    _send(client, sms_jobs, traveller, "halo", run=False)
    [row] = _rows(services)
    for attempt in range(1, sms_jobs_module.MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            sms_jobs_module.handle_inbound(row.id)
        assert _rows(services)[0].attempts == attempt
    assert _rows(services)[0].status == "failed" and "bug" in _rows(services)[0].error
    traveller.shift(600)
    sms_jobs.tick()
    assert _rows(services)[0].status == "failed"


def test_a_caseworker_can_report_too(client, services, sms_jobs, orgs, traveller):
    """A caseworker's phone in a report dialogue gets the questions, not the command help."""
    caseworker = "+6289900000003"
    for text in ("LAPOR adik saya hilang kontak di Malaysia", "saudara"):
        traveller.shift(30)
        at_sms(client, caseworker, "20880", text)
        sms_jobs.run()
    with services.db.session() as s:
        last = s.scalars(
            select(Message.body).where(
                Message.phone_index == phone_index(caseworker), Message.direction == "out"
            )
        ).all()
    assert "Anda siapa" in last[0] and "Siapa nama pekerja migran?" in last[1]
