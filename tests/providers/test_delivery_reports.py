"""Delivery reports through the real routes, for a reply the real SDKs sent to the fakes: on
every provider a status our tables do not know is acknowledged (so the provider neither retries
nor drops it), kept raw on the message, warned about once per process, and never moves the
message's state. Each provider's own cases: <provider>/test_delivery_reports.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fakes.webhooks import at_delivery, at_sms, twilio_sms, twilio_status

from .messages import reply_to, sent_id

PHONE = "+6281299990011"


@dataclass(frozen=True)
class Provider:
    name: str
    ask: Callable  # (client, phone, text) -> response: an SMS that gets a reply
    report: Callable  # (client, message id, status) -> response: its delivery report
    delivered: str
    answer: int


PROVIDERS = [
    Provider(
        "africastalking",
        lambda client, phone, text: at_sms(client, phone, "20880", text),
        at_delivery,
        "Success",
        200,
    ),
    Provider(
        "twilio",
        lambda client, phone, text: twilio_sms(client, phone, "+15005550006", text),
        twilio_status,
        "delivered",
        204,
    ),
]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_an_unknown_status_is_acknowledged_and_keeps_the_state(
    provider, client, services, sms_jobs, fake_at, fake_twilio, caplog
):
    fakes = {"africastalking": fake_at, "twilio": fake_twilio}
    assert provider.ask(client, PHONE, "INFO").status_code == 200
    sms_jobs.run()
    message_id = sent_id(fakes[provider.name], PHONE)
    assert provider.report(client, message_id, provider.delivered).status_code == provider.answer
    assert reply_to(services, PHONE).status == "delivered"

    word = f"Rerouted{provider.name.title()}"  # a value this process has not seen before
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # the provider may report it more than once
            assert provider.report(client, message_id, word).status_code == provider.answer
    row = reply_to(services, PHONE)
    assert (row.status, row.provider_status) == ("delivered", word)
    warnings = [r for r in caplog.records if word in r.getMessage()]
    assert len(warnings) == 1 and "unknown" in warnings[0].getMessage()

    with caplog.at_level(logging.WARNING):
        other = word + "Again"
        assert provider.report(client, message_id, other).status_code == provider.answer
    assert [r for r in caplog.records if other in r.getMessage()]
    assert reply_to(services, PHONE).provider_status == other
