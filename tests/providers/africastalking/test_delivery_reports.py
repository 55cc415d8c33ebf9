"""AT delivery reports through the real route, for a reply the real SDK sent to the fake."""

from __future__ import annotations

from fakes.webhooks import at_delivery, at_sms

from ..messages import reply_to, sent_id

PHONE = "+6281299990011"


def test_an_unknown_status_leaves_a_sent_message_sent(client, services, sms_jobs, fake_at):
    """Not delivered, not failed: what the provider said is on the row, nothing else moved."""
    at_sms(client, PHONE, "20880", "INFO")
    sms_jobs.run()
    assert at_delivery(client, sent_id(fake_at, PHONE), "Sent").status_code == 200
    assert at_delivery(client, sent_id(fake_at, PHONE), "Escalated").status_code == 200
    row = reply_to(services, PHONE)
    assert (row.status, row.provider_status, row.error) == ("sent", "Escalated", None)
