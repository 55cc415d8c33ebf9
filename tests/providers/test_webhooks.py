"""What every provider's SMS webhook does alike: persist before acknowledge (shown through
Africa's Talking). Each provider's own webhook tests: africastalking/, twilio/, android/."""

from __future__ import annotations

from fakes.webhooks import at_sms
from redis.exceptions import ConnectionError as RedisConnectionError

from .messages import inbound


def test_redis_down_the_message_is_kept_and_swept_later(client, services, sms_jobs, monkeypatch):
    """Persist before acknowledge: with Redis away the webhook still answers 200, the row waits,
    and the sweeper hands it to a worker once Redis is back."""
    from rq import Queue

    def refuse(*args, **kwargs):
        raise RedisConnectionError("Redis is down")

    with monkeypatch.context() as m:
        m.setattr(Queue, "enqueue", refuse)
        assert at_sms(client, "+60129876543", "20880", "LAPOR gaji di Malaysia").status_code == 200
    [row] = inbound(services)
    assert row.status == "received"
    sms_jobs.run()
    assert inbound(services)[0].status == "received"  # nothing was enqueued

    import time_machine

    with time_machine.travel(row.created_at.timestamp() + 120, tick=False):
        sms_jobs.tick()
        sms_jobs.run()
    assert inbound(services)[0].status == "done"
