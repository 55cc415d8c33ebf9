"""`/healthz` tells load balancers the truth; `/metrics` carries the pipeline."""

from gateway.app import create_app
from gateway.embedded_redis import EmbeddedRedis
from gateway.services import Services, connect_redis


def test_healthz_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_503_when_redis_is_stopped(services, tmp_path):
    own = EmbeddedRedis(tmp_path)
    url = own.start()
    svc = Services(services.settings, services.db, connect_redis(url))
    client = create_app(services=svc).test_client()
    assert client.get("/healthz").status_code == 200
    own.stop()
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json()["redis"] == "down" and resp.get_json()["database"] == "ok"


def test_healthz_503_when_database_is_unreachable(services):
    from casebridge.db import Database

    svc = Services(
        services.settings, Database("postgresql://nobody@127.0.0.1:1/none"), services.redis
    )
    resp = create_app(services=svc).test_client().get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["database"] == "down"


def test_metrics_exposes_requests_and_pipeline(client, api_key, jobs):
    key = api_key("SBMI-BWI")
    client.post(
        "/api/v1/reports",
        json={"reporter": {"phone": "+6281234567890"}, "category": "other"},
        headers={"Authorization": f"Bearer {key}"},
    )
    jobs.run()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert (
        'pengaduan_http_requests_total{endpoint="api.create_report",method="POST",status="201"} 1.0'
        in text
    )
    assert "pengaduan_http_request_seconds_bucket" in text
    assert 'pengaduan_intakes{state="done"} 1.0' in text
    assert 'pengaduan_cases{status="assigned"} 1.0' in text
    assert 'pengaduan_queue_depth{queue="intake"} 0.0' in text


def test_healthz_warns_when_no_worker_was_seen_for_a_minute(client, services):
    from workers import heartbeat

    services.redis.delete(heartbeat.KEY)
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["worker"] == {"last_seen_seconds_ago": None}
    assert any("no worker seen" in w for w in body["warnings"])
    services.redis.set(heartbeat.KEY, "1")  # seen, long ago
    body = client.get("/healthz").get_json()
    assert body["worker"]["last_seen_seconds_ago"] > 3600
    assert "pengaduan_worker_silent_seconds" in client.get("/metrics").get_data(as_text=True)
    heartbeat.beat(services.redis)
    assert "worker" not in client.get("/healthz").get_json()
