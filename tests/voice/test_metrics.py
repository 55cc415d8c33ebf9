"""Voice counters on `/metrics`: calls started and ended (by cause), reports, callbacks."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(client) -> dict[tuple[str, tuple], float]:
    text = client.get("/metrics").get_data(as_text=True)
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name.startswith("pengaduan_voice_")
    }


def test_calls_and_reports_are_counted(dial, client):
    report = dial("twilio")
    report.dial()
    for key in ("1", "1", "1", "1", "1"):
        report.press(key)
    report.record()
    report.hang_up(duration=90)
    other = dial("africastalking")
    other.dial()
    other.hang_up(duration=5, cause="NO_USER_RESPONSE")
    got = samples(client)
    twilio, at = ("provider", "twilio"), ("provider", "africastalking")
    assert got[("pengaduan_voice_started_total", (("direction", "inbound"), twilio))] == 1
    assert got[("pengaduan_voice_started_total", (("direction", "inbound"), at))] == 1
    assert got[("pengaduan_voice_completed_total", (twilio,))] == 1
    assert got[("pengaduan_voice_hangup_total", (("cause", "NO_USER_RESPONSE"), at))] == 1
    assert got[("pengaduan_voice_reports_total", (twilio,))] == 1
    assert got[("pengaduan_voice_seconds_total", (twilio,))] == 90


def test_the_collector_is_installed_once(app):
    from gateway.voice.metrics import collect

    assert app.extensions["metrics_extra"].count(collect) == 1


def test_the_counters_are_absent_while_redis_is_away():
    from types import SimpleNamespace

    from gateway.voice.metrics import collect

    class Away:
        def hgetall(self, key):
            raise ConnectionError("gone")

    assert list(collect(SimpleNamespace(redis=Away()))) == []
