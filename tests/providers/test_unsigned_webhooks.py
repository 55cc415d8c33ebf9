"""Webhooks fail closed: while a provider's secret is unset they answer 403 and nothing is
recorded, unless ALLOW_UNSIGNED_WEBHOOKS is true; a start with a provider set up but its secret
missing says so in the log, naming the setting."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from casebridge.models import ChannelSession, Message

CALLER = "+6281234567890"
UNSIGNED = {
    "sms_provider": "africastalking",
    "at_username": "pengaduan",
    "at_api_key": "at-key",
    "twilio_account_sid": "AC" + "1" * 32,
    "android_gateway_url": "http://127.0.0.1:9",
    "at_webhook_token": None,
    "twilio_auth_token": None,
    "android_webhook_key": None,
    "whatsapp_token": "wa-token",
    "whatsapp_phone_number_id": "106540352242922",
    "whatsapp_app_secret": None,
}
HOP = {"sessionId": "ATUid_open", "serviceCode": "*123#", "phoneNumber": CALLER, "text": ""}
SMS_AT = {"from": CALLER, "to": "20880", "text": "MULAI", "id": "ATXid_1", "date": "x"}
SMS_TWILIO = {"From": CALLER, "To": "+15005550006", "Body": "MULAI", "MessageSid": "SM" + "1" * 32}
ANDROID = {
    "event": "sms:received",
    "id": "e1",
    "deviceId": "d1",
    "payload": {"messageId": "m1", "sender": CALLER, "message": "MULAI", "simNumber": 1},
}
WHATSAPP = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "1",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messages": [
                            {
                                "from": CALLER[1:],
                                "id": "wamid.1",
                                "type": "text",
                                "text": {"body": "MULAI"},
                            }
                        ]
                    },
                }
            ],
        }
    ],
}
POSTS = {
    "AT SMS": ("/sms/africastalking", {"data": SMS_AT}),
    "AT delivery": ("/sms/africastalking/delivery", {"data": {"id": "x", "status": "Success"}}),
    "AT USSD hop": ("/ussd/africastalking", {"data": HOP}),  # answered before Flask
    "AT USSD hop, multipart": (
        "/ussd/africastalking",
        {"data": HOP, "content_type": "multipart/form-data"},
    ),
    "AT USSD end": ("/ussd/africastalking/events", {"data": {**HOP, "status": "Success"}}),
    "AT voice": ("/voice/africastalking", {"data": {"sessionId": "v1", "isActive": "1"}}),
    "Twilio SMS": ("/sms/twilio", {"data": SMS_TWILIO}),
    "Twilio status": ("/sms/twilio/status", {"data": {"MessageSid": "SM1", "MessageStatus": "x"}}),
    "Twilio voice": ("/voice/twilio", {"data": {"CallSid": "CA1", "From": CALLER}}),
    "Android": ("/sms/android", {"data": json.dumps(ANDROID), "content_type": "application/json"}),
    "WhatsApp": (
        "/whatsapp/meta",
        {"data": json.dumps(WHATSAPP), "content_type": "application/json"},
    ),
}


def recorded(services) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count(Message.id))) + s.scalar(
            select(func.count(ChannelSession.id))
        )


@pytest.mark.parametrize("settings_overrides", [{**UNSIGNED, "allow_unsigned_webhooks": False}])
@pytest.mark.parametrize("name", POSTS)
def test_a_provider_without_its_secret_refuses_every_webhook(client, services, name):
    path, kwargs = POSTS[name]
    response = client.post(path, **kwargs)
    assert response.status_code == 403, response.get_data(as_text=True)
    assert recorded(services) == 0


@pytest.mark.parametrize("settings_overrides", [{**UNSIGNED, "allow_unsigned_webhooks": True}])
def test_allow_unsigned_webhooks_lets_them_in(client, services):
    assert client.post("/ussd/africastalking", data=HOP).get_data(as_text=True).startswith("CON ")
    assert client.post("/sms/africastalking", data=SMS_AT).status_code == 200
    assert recorded(services) > 0


@pytest.mark.parametrize("settings_overrides", [{**UNSIGNED, "allow_unsigned_webhooks": False}])
def test_a_start_without_the_secrets_names_them(services, caplog):
    from gateway.app import create_app

    with caplog.at_level(logging.ERROR, logger="gateway.app"):
        create_app(services=services)
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    for setting in (
        "AT_WEBHOOK_TOKEN",
        "TWILIO_AUTH_TOKEN",
        "ANDROID_WEBHOOK_KEY",
        "WHATSAPP_APP_SECRET",
    ):
        assert setting in logged
