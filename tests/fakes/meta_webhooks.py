"""Sending WhatsApp Cloud API webhooks to the app as Meta does: bodies shaped like the examples
of Meta's documentation (`whatsapp_business_account` → entry → changes → value), signed with
`gateway.providers.whatsapp.sign`, the helper the production check uses."""

from __future__ import annotations

import json
import time
import uuid

from gateway.providers.whatsapp import PATH, sign

from .plugin import WHATSAPP_APP_SECRET, WHATSAPP_PHONE_NUMBER_ID

DISPLAY_NUMBER = "15550783881"


def wamid() -> str:
    return "wamid.HBgL" + uuid.uuid4().hex.upper()


def envelope(value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": DISPLAY_NUMBER,
                                "phone_number_id": WHATSAPP_PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def message(phone: str, kind: str, content: dict | None, message_id: str | None = None) -> dict:
    """`value` of one incoming message from `phone` (E.164); `content` is its `kind` object."""
    wa_id = phone.lstrip("+")
    item = {
        "from": wa_id,
        "id": message_id or wamid(),
        "timestamp": str(int(time.time())),
        "type": kind,
    }
    if content is not None:
        item[kind] = content
    return {
        "contacts": [{"profile": {"name": "Sri"}, "wa_id": wa_id}],
        "messages": [item],
    }


def text(phone: str, body: str, message_id: str | None = None) -> dict:
    return message(phone, "text", {"body": body}, message_id)


def reply(phone: str, row_id: str, title: str, kind: str = "button_reply", **kw) -> dict:
    """An answer to interactive buttons (`button_reply`) or a list (`list_reply`)."""
    content = {"type": kind, kind: {"id": row_id, "title": title}}
    return message(phone, "interactive", content, **kw)


def media(phone: str, kind: str, media_id: str, mime_type: str, **extra) -> dict:
    content = {"id": media_id, "mime_type": mime_type, "sha256": "b1Xj...", **extra}
    return message(phone, kind, content)


def status(message_id: str, phone: str, word: str, code: int | None = None) -> dict:
    item = {
        "id": message_id,
        "status": word,
        "timestamp": str(int(time.time())),
        "recipient_id": phone.lstrip("+"),
    }
    if code is not None:
        item["errors"] = [
            {
                "code": code,
                "title": "Re-engagement message" if code == 131047 else "Message undeliverable",
                "message": "Message failed to send",
                "error_data": {"details": "Message failed to send"},
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
            }
        ]
    return {"statuses": [item]}


def post(
    client, value: dict, secret: str | None = WHATSAPP_APP_SECRET, signature: str | None = None
):
    """POST the webhook, signed with `secret` (None: unsigned) or the `signature` given."""
    body = json.dumps(envelope(value)).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    elif secret is not None:
        headers["X-Hub-Signature-256"] = sign(secret, body)
    return client.post(PATH, data=body, headers=headers)
