"""End-of-session notifications: recorded once with status, hops, duration and last screen,
and counted for `/metrics` (sessions started, completed, dropped per screen)."""

from __future__ import annotations

from sqlalchemy import select

from casebridge.models import ChannelSession

from .phone import CALLER, EVENTS_URL


def _records(services) -> list[ChannelSession]:
    with services.db.session() as session:
        return list(session.scalars(select(ChannelSession).order_by(ChannelSession.id)))


def test_dropped_session_is_recorded_with_its_last_screen(dial, services):
    phone = dial()
    phone.press("1", "2", "2", "Siti", "1")
    shown = "CON Negara tempat bekerja:"
    assert phone.hang_up("Incomplete", input="1", lastAppResponse=shown) == 200
    [row] = _records(services)
    assert (row.channel, row.provider) == ("ussd", "africastalking")
    assert row.session_id == phone.session_id
    assert (row.status, row.hops, row.duration_ms) == ("dropped", 6, 45000)
    assert row.last_screen == "country"
    assert row.phone == CALLER and row.case_reference is None and row.ended_at is not None
    assert row.meta == {
        "date": "2025-01-01 10:00:00",
        "serviceCode": "*123#",
        "networkCode": "99999",
        "cost": "0.0",
    }


def test_repeated_notification_is_recorded_and_counted_once(dial, services, client):
    phone = dial()
    phone.press("3")
    assert phone.hang_up("Incomplete") == 200
    assert phone.hang_up("Incomplete") == 200
    assert phone.hang_up("Success") == 200
    assert len(_records(services)) == 1
    text = client.get("/metrics").get_data(as_text=True)
    assert (
        'pengaduan_ussd_sessions_ended_total{outcome="dropped",provider="africastalking",'
        'screen="info"} 1.0' in text
    )


def test_unknown_session_is_recorded_without_a_screen(client, services):
    form = {"sessionId": "ATUid_never_seen", "status": "Failed", "errorMessage": "timeout"}
    assert client.post(EVENTS_URL, data=form).status_code == 200
    [row] = _records(services)
    assert (row.status, row.last_screen, row.phone, row.hops) == ("failed", "unknown", None, None)
    assert row.meta == {"errorMessage": "timeout"}


def test_hops_and_duration_come_from_the_session_when_at_omits_them(dial, client, services):
    phone = dial()
    phone.press("2")
    form = {"sessionId": phone.session_id, "phoneNumber": CALLER, "status": "Incomplete"}
    assert client.post(EVENTS_URL, data=form).status_code == 200
    [row] = _records(services)
    assert row.hops == 2 and row.duration_ms is not None and row.duration_ms >= 0
    assert row.phone == CALLER and row.last_screen == "status_ref"


def test_metrics_count_started_completed_and_dropped_per_screen(dial, client):
    first = dial()
    first.press("3", "3")  # the helplines: the last screen
    first.hang_up("Success")
    second = dial()
    second.press("1", "1")
    second.hang_up("Incomplete")
    third = dial(phone="+6285712345678")
    third.retry()  # a retried first hop is not a second session
    third.hang_up("Incomplete")
    text = client.get("/metrics").get_data(as_text=True)
    expected = [
        'pengaduan_ussd_sessions_started_total{provider="africastalking"} 3.0',
        'pengaduan_ussd_sessions_ended_total{outcome="completed",provider="africastalking",'
        'screen="info_hotlines"} 1.0',
        'pengaduan_ussd_sessions_ended_total{outcome="dropped",provider="africastalking",'
        'screen="worker_name"} 1.0',
        'pengaduan_ussd_sessions_ended_total{outcome="dropped",provider="africastalking",'
        'screen="main"} 1.0',
    ]
    for line in expected:
        assert line in text, line


def test_metrics_scrape_survives_redis_being_away(client, services, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("away")

    monkeypatch.setattr(services.redis, "hgetall", down)
    resp = client.get("/metrics")
    assert resp.status_code == 200
    assert "# TYPE pengaduan_ussd_sessions_started_total counter" in resp.get_data(as_text=True)
