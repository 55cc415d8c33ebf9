"""The outbox: messages are sent once, retried with backoff on transient errors, failed at once
on permanent ones (on the case timeline), and silenced by STOP even when already queued."""

from datetime import timedelta

from sqlalchemy import select, update

from casebridge import outbox, reporters
from casebridge.messaging import PermanentSendError, RetryableSendError, SendResult
from casebridge.models import Case, Message, utcnow
from casebridge.reports import Report
from gateway.submit import submit_report


class ScriptedSender:
    """A provider double that fails as told, then succeeds."""

    name = "scripted"

    def __init__(self, *failures):
        self.failures = list(failures)
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        if self.failures:
            raise self.failures.pop(0)
        return SendResult(f"SCR{len(self.sent)}", "sent")


def new_case(services, jobs, phone="+6281234567891", sms_safe=True, key=None):
    report = Report(reporter_phone=phone, category="other", channel="desk", sms_safe=sms_safe)
    submit_report(services, key or phone, report)
    jobs.run()
    with services.db.session() as s:
        return s.scalars(select(Case).order_by(Case.id.desc())).first().id


def queue_one(services, case_id, body="Halo", provider="scripted"):
    with services.db.session() as s:
        case = s.get(Case, case_id)
        msg = outbox.queue(s, case.reporter.phone, body, "test", provider, case=case)
        return msg.id if msg else None


def message(services, message_id) -> Message:
    with services.db.session() as s:
        return s.get(Message, message_id)


def test_sent_once_even_when_enqueued_twice(services, orgs, jobs):
    sender = ScriptedSender()
    jobs.senders["scripted"] = sender
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id)
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    assert len(sender.sent) == 1
    m = message(services, mid)
    assert m.status == "sent" and m.provider_message_id == "SCR1" and m.attempts == 1


def test_transient_error_retries_with_backoff_then_sends(services, orgs, jobs):
    sender = ScriptedSender(RetryableSendError("HTTP 500"))
    jobs.senders["scripted"] = sender
    mid = queue_one(services, new_case(services, jobs))
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    m = message(services, mid)
    assert m.status == "retrying" and "HTTP 500" in m.error
    assert m.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert jobs.tick()["messages"] == 0  # not due yet
    with services.db.session() as s:
        s.execute(update(Message).where(Message.id == mid).values(next_attempt_at=utcnow()))
    assert jobs.tick()["messages"] == 1
    jobs.run()
    assert message(services, mid).status == "sent"
    assert len(sender.sent) == 2


def test_permanent_error_fails_at_once_and_lands_on_timeline(services, orgs, jobs):
    jobs.senders["scripted"] = ScriptedSender(PermanentSendError("invalid number", code="403"))
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id)
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    assert message(services, mid).status == "failed"
    with services.db.session() as s:
        events = s.get(Case, case_id).events
        assert any(e.kind == "message_failed" and "invalid number" in e.note for e in events)


def test_opted_out_error_marks_the_reporter(services, orgs, jobs):
    jobs.senders["scripted"] = ScriptedSender(
        PermanentSendError("blacklisted", code="UserInBlacklist", opted_out=True)
    )
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id)
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    with services.db.session() as s:
        assert s.get(Case, case_id).reporter.opted_out
    assert queue_one(services, case_id) is None


def test_stop_cancels_queued_messages_and_blocks_new_ones(services, orgs, jobs):
    sender = ScriptedSender()
    jobs.senders["scripted"] = sender
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id)
    with services.db.session() as s:
        assert reporters.opt_out(s, "+6281234567891", channel="sms") == 1
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    assert sender.sent == []
    assert message(services, mid).status == "cancelled"
    assert queue_one(services, case_id) is None
    with services.db.session() as s:
        reporters.opt_in(s, "+6281234567891", channel="sms")
    assert queue_one(services, case_id) is not None


def test_unconfigured_provider_fails_visibly(services, orgs, jobs):
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id, provider="nowhere")
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    jobs.run()
    m = message(services, mid)
    assert m.status == "failed" and "no sender" in m.error


def test_segments_are_counted(services, orgs, jobs):
    case_id = new_case(services, jobs)
    m1 = message(services, queue_one(services, case_id, "a" * 160))
    m2 = message(services, queue_one(services, case_id, "a" * 161))
    m3 = message(services, queue_one(services, case_id, "Terima kasih ’"))
    assert (m1.encoding, m1.segments) == ("GSM-7", 1)
    assert (m2.encoding, m2.segments) == ("GSM-7", 2)
    assert m3.encoding == "UCS-2"


def test_stuck_sending_row_is_recovered_by_the_sweeper(services, orgs, jobs):
    sender = ScriptedSender()
    jobs.senders["scripted"] = sender
    mid = queue_one(services, new_case(services, jobs))
    with services.db.session() as s:  # a worker died after claiming it
        s.execute(
            update(Message)
            .where(Message.id == mid)
            .values(status="sending", updated_at=utcnow() - timedelta(minutes=10))
        )
    assert jobs.tick()["messages"] == 1
    jobs.run()
    assert message(services, mid).status == "sent"


def test_a_message_that_keeps_failing_waits_longer_each_time_then_fails_on_its_case(
    services, orgs, jobs
):
    tries = len(outbox.RETRY_DELAYS) + 1
    sender = ScriptedSender(*[RetryableSendError("HTTP 503")] * (tries + 3))
    jobs.senders["scripted"] = sender
    case_id = new_case(services, jobs)
    mid = queue_one(services, case_id)
    from workers import queues

    waits = []
    queues.enqueue(services.redis, queues.SEND_SMS, mid)
    for _ in range(tries + 2):  # more chances than it may take
        jobs.run()
        m = message(services, mid)
        if m.status != "retrying":
            break
        waits.append(round((m.next_attempt_at - m.updated_at).total_seconds()))
        with services.db.session() as s:  # the wait is over
            s.execute(update(Message).where(Message.id == mid).values(next_attempt_at=utcnow()))
        assert jobs.tick()["messages"] == 1
    assert waits == list(outbox.RETRY_DELAYS)  # each wait as long as the table says, growing
    m = message(services, mid)
    assert m.status == "failed" and m.attempts == tries and len(sender.sent) == tries
    assert jobs.tick()["messages"] == 0  # given up: never sent again
    with services.db.session() as s:
        kinds = [e.kind for e in s.get(Case, case_id).events]
    assert kinds.count("message_failed") == 1


def test_a_later_desk_report_never_makes_an_unsafe_case_safe(services, orgs, jobs):
    sender = ScriptedSender()
    jobs.senders["scripted"] = sender
    unsafe = new_case(services, jobs, phone="+6281234567893", sms_safe=False)
    safe = new_case(services, jobs, "+6281234567893", sms_safe=True, key="later")  # another desk
    with services.db.session() as s:
        assert not outbox.sms_safe(s.get(Case, unsafe))
        assert not s.get(Case, unsafe).reporter.sms_safe  # the phone stays unsafe too
        assert s.get(Case, safe).sms_safe is True
        first = s.get(Case, unsafe)
        assert outbox.queue_to_reporter(s, first, "Kabar", "test", "scripted") is None
        assert first.events[-1].kind == "message_withheld"


def test_a_message_queued_before_stop_or_unsafe_does_not_leave(services, orgs, jobs):
    sender = ScriptedSender()
    jobs.senders["scripted"] = sender
    case_id = new_case(services, jobs, phone="+6281234567894")
    before_stop = queue_one(services, case_id)
    with services.db.session() as s:  # STOP arrives, recorded without cancelling the queue
        s.get(Case, case_id).reporter.opted_out = True
    from workers import queues

    queues.enqueue(services.redis, queues.SEND_SMS, before_stop)
    jobs.run()
    assert message(services, before_stop).status == "cancelled"
    with services.db.session() as s:
        case = s.get(Case, case_id)
        case.reporter.opted_out = False
        case.sms_safe = False  # the case turned unsafe after the message was queued
    with services.db.session() as s:
        case = s.get(Case, case_id)
        queued = outbox.queue(s, case.reporter.phone, "Halo", "test", "scripted", case=case)
        queued.reporter_id = case.reporter_id
        queued_id = queued.id
    queues.enqueue(services.redis, queues.SEND_SMS, queued_id)
    jobs.run()
    assert message(services, queued_id).status == "cancelled"
    assert all(m.to != case.reporter.phone for m in sender.sent)
