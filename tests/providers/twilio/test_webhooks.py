"""The Twilio SMS webhooks: bad input answered 400 (never 500), TwiML for every message.
Their signatures: test_signature.py."""

from __future__ import annotations

import pytest
from fakes.webhooks import post_twilio, twilio_sms, twilio_status

from ..messages import inbound


def test_a_nul_in_a_twilio_status_callback_is_a_400(client):
    response = twilio_status(client, "SM\x00", "delivered")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize("missing", ["MessageSid", "From", "Body"])
def test_twilio_bad_incoming_is_a_400(client, services, missing):
    params = {"MessageSid": "SM" + "d" * 32, "From": "+85251234568", "To": "+1", "Body": "x"}
    del params[missing]
    response = post_twilio(client, "/sms/twilio", params)
    assert response.status_code == 400 and missing in response.get_data(as_text=True)
    assert inbound(services) == []


def test_twilio_answers_twiml_even_for_a_duplicate(client, services):
    first = twilio_sms(client, "+85251234568", "+85258001234", "halo", sid="SM" + "e" * 32)
    again = twilio_sms(client, "+85251234568", "+85258001234", "halo", sid="SM" + "e" * 32)
    for response in (first, again):
        assert response.status_code == 200 and "<Response />" in response.get_data(as_text=True)
    assert len(inbound(services)) == 1
