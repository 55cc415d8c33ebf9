"""Sending provider webhooks to the app as Africa's Talking and Twilio would send them."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from .plugin import AT_TOKEN, PUBLIC_BASE_URL, TWILIO_TOKEN


def twilio_signature(url: str, params: dict, token: str = TWILIO_TOKEN) -> str:
    """The `X-Twilio-Signature` Twilio computes (the SDK's own helper)."""
    return RequestValidator(token).compute_signature(url, params)


def post_twilio(client, path: str, params: dict, token: str = TWILIO_TOKEN, query: str = ""):
    url = PUBLIC_BASE_URL + path + (f"?{query}" if query else "")
    headers = {"X-Twilio-Signature": twilio_signature(url, params, token)}
    target = path + (f"?{query}" if query else "")
    return client.post(target, data=params, headers=headers)


def twilio_sms(client, phone: str, to: str, text: str, sid: str | None = None):
    params = {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "1" * 32,
        "From": phone,
        "To": to,
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    return post_twilio(client, "/sms/twilio", params)


def twilio_status(client, sid: str, status: str, error_code: str | None = None):
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "1" * 32}
    if error_code:
        params["ErrorCode"] = error_code
    return post_twilio(client, "/sms/twilio/status", params)


def at_sms(client, phone: str, to: str, text: str, message_id: str | None = None):
    form = {
        "from": phone,
        "to": to,
        "text": text,
        "id": message_id or f"ATXid_{uuid.uuid4().hex}",
        "date": "2026-11-23 10:00:00",
        "linkId": "",
        "networkCode": "99999",
    }
    return client.post(f"/sms/africastalking?{urlencode({'token': AT_TOKEN})}", data=form)


def at_delivery(client, message_id: str, status: str, reason: str | None = None):
    form = {"id": message_id, "status": status, "phoneNumber": "+0", "networkCode": "99999"}
    if reason:
        form["failureReason"] = reason
    return client.post(f"/sms/africastalking/delivery?{urlencode({'token': AT_TOKEN})}", data=form)
