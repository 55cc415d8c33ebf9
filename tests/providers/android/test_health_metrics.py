"""What `/healthz` and `/metrics` say about the phone, including a relay (Cloud mode) that
accepts messages while the phone itself is silent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import select

from casebridge.models import CaseEvent, Message, utcnow
from gateway.providers import android
from tests.conftest import phone_index


def queue(services, status: str, sent_ago: timedelta | None = None, provider: str = "android"):
    with services.db.session() as s:
        s.add(
            Message(
                direction="out",
                provider=provider,
                phone="+6281299990011",
                body="x",
                status=status,
                sent_at=utcnow() - sent_ago if sent_ago is not None else None,
            )
        )


def phone_entry(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.get_json()


def test_a_phone_never_heard_from_while_messages_wait_is_a_warning(client, services):
    queue(services, "queued")
    body = phone_entry(client)
    entry = body["providers"]["android"]
    assert entry["ok"] is False and entry["last_seen"] is None and entry["waiting"] == 1
    assert "never called" in entry["message"] and "pengaduan android connect" in entry["message"]
    assert body["warnings"] == [f"android: {entry['message']}"]
    assert body["status"] == "ok"


@pytest.mark.parametrize(
    ("status", "sent_ago", "counts"),
    [
        ("queued", None, True),
        ("retrying", None, True),
        ("sending", None, True),
        ("sent", timedelta(minutes=10), True),  # the relay took it after the phone went quiet
        ("sent", timedelta(minutes=30), False),  # the phone was alive after that
        ("delivered", timedelta(minutes=10), False),
        ("failed", None, False),
    ],
)
def test_what_counts_as_waiting_for_a_silent_phone(
    client, services, phone, status, sent_ago, counts
):
    with time_machine.travel(utcnow() - timedelta(minutes=20), tick=False):
        assert phone.ping().status_code == 204
    queue(services, status, sent_ago)
    queue(services, "queued", provider="twilio")  # other providers' messages never count
    entry = phone_entry(client)["providers"]["android"]
    assert entry["waiting"] == (1 if counts else 0)
    assert entry["ok"] is (not counts)
    assert "last heard from 20 min ago" in entry["message"]


def test_rows_the_relay_took_long_ago_stop_counting(client, services):
    queue(services, "sent", timedelta(days=3))
    assert phone_entry(client)["providers"]["android"]["waiting"] == 0


@pytest.mark.parametrize(
    "settings_overrides",
    [{"android_gateway_url": None, "android_webhook_key": None, "sms_provider": "twilio"}],
)
def test_no_phone_entry_when_no_phone_is_used(client, settings_overrides):
    assert "providers" not in client.get("/healthz").get_json()
    assert list(android.metrics(client.application.extensions["services"])) == []


def test_metrics_carry_last_seen_pings_and_waiting(services, phone):
    queue(services, "retrying")
    assert phone.ping(event_id="p1").status_code == 204
    assert phone.ping(event_id="p2").status_code == 204
    registry = CollectorRegistry()
    registry.register(_Collector(services))
    text = generate_latest(registry).decode()
    stamp = re.search(r"^pengaduan_android_last_seen_timestamp_seconds (\S+)$", text, re.M)
    assert float(stamp.group(1)) == pytest.approx(android.last_seen(services)["at"].timestamp())
    assert "pengaduan_android_pings_total 2.0" in text
    assert "pengaduan_android_waiting_messages 1.0" in text


def test_metrics_without_a_ping_have_no_timestamp(services):
    registry = CollectorRegistry()
    registry.register(_Collector(services))
    text = generate_latest(registry).decode()
    assert "pengaduan_android_pings_total 0.0" in text
    assert "\npengaduan_android_last_seen_timestamp_seconds " not in text


def test_metrics_are_on_the_metrics_endpoint(client, phone):
    assert phone.ping().status_code == 204
    text = client.get("/metrics").get_data(as_text=True)
    assert "pengaduan_android_pings_total 1.0" in text
    assert "pengaduan_android_last_seen_timestamp_seconds " in text


def test_a_failure_the_phone_reports_twice_is_on_the_timeline_once(
    client, services, api_key, phone, jobs
):
    reporter = "+6281299990012"
    report = {"reporter": {"phone": reporter, "sms_safe": True}, "category": "other"}
    headers = {"Authorization": f"Bearer {api_key('SBMI-BWI')}"}
    assert client.post("/api/v1/reports", json=report, headers=headers).status_code == 201
    jobs.run()
    with services.db.session() as s:
        sent = s.scalars(
            select(Message).where(
                Message.direction == "out", Message.phone_index == phone_index(reporter)
            )
        ).one()
        case_id, message_id = sent.case_id, sent.provider_message_id
    for _ in range(2):
        assert phone.delivery("sms:failed", message_id, reporter, "no credit").status_code == 204
    with services.db.session() as s:
        kinds = list(s.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)))
    assert kinds.count("message_failed") == 1


class _Collector:
    def __init__(self, services):
        self.services = services

    def collect(self):
        yield from android.metrics(self.services)
