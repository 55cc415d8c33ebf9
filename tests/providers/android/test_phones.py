"""Many gateway phones, one service: each post answers from its own number and SIM, non-replies
leave from the organisation's phone, daily limits, failover of a silent phone (on the
timeline, without content), quiet hours, and per-phone webhook keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from forwarding.cases import REPORTER_PHONE, file_case
from sqlalchemy import select

from casebridge.models import CaseEvent, Message
from tests.conftest import phone_index

from . import phones_setup
from .phones_setup import POSTS

VILLAGER = "+6285712345678"


@pytest.fixture(scope="session")
def post_servers():
    servers = {k: phones_setup.start(p) for k, p in POSTS.items()}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def fakes(post_servers):
    for server in post_servers.values():
        server.reset()
    return post_servers


@pytest.fixture
def settings_overrides(provider_settings, fakes) -> dict:
    """No ANDROID_* phone: only the registered ones; the phones are the SMS provider."""
    return {**provider_settings, "sms_provider": "android", "android_gateway_url": None}


@pytest.fixture
def hooks(client):
    return {k: phones_setup.webhooks(client, p) for k, p in POSTS.items()}


def ping(hooks, *which):
    for k in which:
        assert hooks[k].ping().status_code == 204


def outbox(services) -> list[Message]:
    with services.db.session() as s:
        return list(s.scalars(select(Message).where(Message.direction == "out")))


def test_a_report_texted_to_a_post_is_answered_from_that_phone_and_sim(
    services, orgs, sms_jobs, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"])
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    for text in ("LAPOR gaji adik saya belum dibayar 4 bulan di Malaysia", "5", "Wati",
                 "perempuan", "Kab. Banyuwangi", "1"):  # fmt: skip
        assert hooks["a"].received(VILLAGER, text, sim=2).status_code == 204
        sms_jobs.run()
    to_villager = [m for m in fakes["a"].sent if m["to"] == VILLAGER]
    assert len(to_villager) == 6 and {m["from"] for m in to_villager} == {"sim:2"}
    assert "Laporan Anda diterima" in to_villager[-1]["message"]
    assert [m for m in fakes["b"].sent if m["to"] == VILLAGER] == []
    assert hooks["b"].received("+6285799990000", "INFO", sim=1).status_code == 204
    sms_jobs.run()
    assert [m["from"] for m in fakes["b"].sent if m["to"] == "+6285799990000"] == ["sim:1"]


def test_a_desk_confirmation_leaves_from_the_organisations_phone(
    services, orgs, jobs, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"], org="SBMI-BWI", daily_limit=50)
    phones_setup.add(services, POSTS["b"], fakes["b"])  # no limit: more room, but not theirs
    ping(hooks, "a", "b")
    file_case(services, jobs)
    jobs.run()
    assert [m for m in fakes["a"].sent if m["to"] == REPORTER_PHONE]
    assert [m for m in fakes["b"].sent if m["to"] == REPORTER_PHONE] == []


def test_the_daily_limit_moves_the_rest_to_the_other_phone(services, orgs, jobs, fakes, hooks):
    phones_setup.add(services, POSTS["a"], fakes["a"], org="SBMI-BWI", daily_limit=1)
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    file_case(services, jobs)
    file_case(services, jobs)
    jobs.run()
    sent = [m for m in outbox(services) if m.status == "sent"]
    assert len(fakes["a"].sent) == 1  # never past its limit
    assert len(fakes["b"].sent) == len(sent) - 1 >= 1


def test_a_silent_phone_s_waiting_alerts_move_to_another_and_the_timeline_says_so(
    services, orgs, jobs, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"], org="SBMI-BWI")
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    for number in (REPORTER_PHONE, "+6289900000001", "+6289900000002"):
        fakes["a"].errors[number] = 503  # A stops answering
    file_case(services, jobs)
    jobs.run()
    waiting = [m for m in outbox(services) if m.status == "retrying"]
    assert waiting and all(m.our_number == "post-a/" for m in waiting)
    fakes["a"].errors.clear()  # were anything still sent through A, it would show
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=20), tick=False):
        ping(hooks, "b")  # B is heard from; A has been silent for 20 minutes
        jobs.tick()
        jobs.run()
    assert fakes["a"].sent == []
    assert {m["to"] for m in fakes["b"].sent} >= {m.phone for m in waiting}
    with services.db.session() as s:
        moved = list(s.scalars(select(CaseEvent).where(CaseEvent.kind == "message_moved")))
    assert len(moved) == len(waiting)
    assert all("post-a to phone post-b" in e.note and "silent" in e.note for e in moved)
    bodies = [m.body for m in waiting]
    assert not any(body[:20] in e.note for e in moved for body in bodies)


def test_quiet_hours_hold_a_confirmation_until_they_end_but_not_a_reply(
    services, orgs, jobs, fakes, hooks
):
    local = datetime.now(ZoneInfo("Asia/Jakarta"))
    start, end = local - timedelta(hours=1), local + timedelta(hours=2)
    quiet = f"{start:%H:%M}-{end:%H:%M}"
    phones_setup.add(services, POSTS["a"], fakes["a"], org="SBMI-BWI", quiet=quiet)
    ping(hooks, "a")
    file_case(services, jobs)
    jobs.run()
    assert [m for m in fakes["a"].sent if m["to"] == REPORTER_PHONE] == []
    held = [m for m in outbox(services) if m.phone == REPORTER_PHONE]
    expected = end.replace(second=0, microsecond=0).astimezone(UTC)
    assert held and all(m.next_attempt_at == expected and m.attempts == 0 for m in held)
    assert hooks["a"].received(VILLAGER, "INFO", sim=1).status_code == 204  # someone writes
    jobs.run()
    assert [m["from"] for m in fakes["a"].sent if m["to"] == VILLAGER] == ["sim:1"]
    with time_machine.travel(expected + timedelta(seconds=1), tick=False):
        ping(hooks, "a")
        jobs.tick()
        jobs.run()
    assert [m for m in fakes["a"].sent if m["to"] == REPORTER_PHONE]


def test_each_phone_s_webhooks_need_its_own_key(services, client, fakes, hooks):
    phones_setup.add(services, POSTS["a"], fakes["a"])
    phones_setup.add(services, POSTS["b"], fakes["b"])
    a = hooks["a"]
    refused = a.received(VILLAGER, "INFO", key=POSTS["b"].key)
    assert refused.status_code == 403
    unknown = phones_setup.webhooks(client, POSTS["a"])
    unknown.path = "/sms/android/post-zz"
    answer = unknown.received(VILLAGER, "INFO")
    assert (answer.status_code, answer.data) == (refused.status_code, refused.data)
    assert client.post("/sms/android/..%2F..", data=b"{}").status_code in (403, 404)
    assert a.received(VILLAGER, "INFO").status_code == 204
    with services.db.session() as s:
        rows = list(s.scalars(select(Message).where(Message.direction == "in")))
    assert [m.our_number for m in rows] == ["post-a/sim:1"]


def test_healthz_and_metrics_show_each_phone_and_a_down_one_degrades(
    services, client, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"])
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert {n: p["up"] for n, p in body["providers"]["android"]["phones"].items()} == {
        "post-a": True,
        "post-b": True,
    }
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16), tick=False):
        ping(hooks, "b")
        body = client.get("/healthz").get_json()
        metrics = client.get("/metrics").get_data(as_text=True)
    assert body["status"] == "degraded"
    assert any("post-a" in w for w in body["warnings"])
    assert 'pengaduan_android_phone_up{phone="post-a"} 0.0' in metrics
    assert 'pengaduan_android_phone_up{phone="post-b"} 1.0' in metrics


def test_a_reply_waits_for_its_silent_phone_then_after_an_hour_goes_from_another_introduced(
    services, orgs, jobs, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"])
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    fakes["a"].errors[VILLAGER] = 503  # the villager's SMS arrived; then A stopped answering
    assert hooks["a"].received(VILLAGER, "INFO", sim=2).status_code == 204
    jobs.run()
    fakes["a"].errors.clear()
    start = datetime.now(UTC)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        ping(hooks, "b")
        jobs.tick()
        jobs.run()
    assert fakes["a"].sent == [] and fakes["b"].sent == []  # the reply waits for A
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        ping(hooks, "b")
        jobs.tick()
        jobs.run()
    [reply] = [m for m in fakes["b"].sent if m["to"] == VILLAGER]
    assert reply["message"].splitlines()[0] == "Layanan pengaduan, dari nomor lain:"
    assert reply["from"] == "sim:default" and fakes["a"].sent == []


def test_messages_in_a_long_retry_delay_on_a_down_phone_move_at_the_next_tick(
    services, orgs, jobs, fakes, hooks
):
    phones_setup.add(services, POSTS["a"], fakes["a"], org="SBMI-BWI")
    phones_setup.add(services, POSTS["b"], fakes["b"])
    ping(hooks, "a", "b")
    for number in (REPORTER_PHONE, "+6289900000001", "+6289900000002"):
        fakes["a"].errors[number] = 503
    file_case(services, jobs)
    jobs.run()
    later = datetime.now(UTC) + timedelta(hours=3)  # as after the fifth failed try
    with services.db.session() as s:
        [row] = s.scalars(
            select(Message).where(Message.phone_index == phone_index(REPORTER_PHONE))
        ).all()
        row.next_attempt_at = later
    fakes["a"].errors.clear()
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=20), tick=False):
        ping(hooks, "b")
        jobs.tick()  # the failover makes it due
        jobs.tick()  # and the sweeper sends it
        jobs.run()
    assert [m["to"] for m in fakes["b"].sent].count(REPORTER_PHONE) == 1
    assert fakes["a"].sent == []


def test_two_workers_never_both_take_the_last_slot_of_a_day(services):
    from concurrent.futures import ThreadPoolExecutor

    from gateway.providers.android.state import sent_today, take_slot

    with ThreadPoolExecutor(8) as pool:
        taken = list(pool.map(lambda _: take_slot(services.redis, "post-a", "Asia/Jakarta", 5),
                              range(40)))  # fmt: skip
    assert taken.count(True) == 5 and sent_today(services.redis, "post-a", "Asia/Jakarta") == 5


def test_a_disabled_phone_s_webhooks_are_refused(services, client, fakes, hooks):
    from casebridge.models import GatewayPhone

    phones_setup.add(services, POSTS["a"], fakes["a"])
    assert hooks["a"].ping().status_code == 204
    with services.db.session() as s:
        s.scalars(select(GatewayPhone)).one().enabled = False
    assert hooks["a"].received(VILLAGER, "INFO").status_code == 403
