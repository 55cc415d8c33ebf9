"""A fake of SMS Gateway for Android (protocols.md E), both sides of the phone.

`FakeAndroidPhone` is its API as the Local server answers it (`POST /messages`,
`GET /messages/<id>`, `GET|POST /webhooks`, `DELETE /webhooks/<id>`): it checks HTTP Basic
auth, refuses numbers listed in `errors` with that HTTP status, keeps the messages it accepted
in `sent` and the webhooks registered on it in `webhooks` (a POST with a known id replaces it,
as the app does). `PhoneWebhooks` posts the phone's webhooks to our app, signed with the same
`sign` the production check uses."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

from flask import Response, jsonify, request

from gateway.providers.android import sign

from .server import FakeServer

DEVICE_ID = "ffffffffceb0b1db0000018e937c815b"
WIB = timezone(timedelta(hours=7))
"""The phone's local time zone (Western Indonesia): the app reports device-local times."""


class FakeAndroidPhone(FakeServer):
    def __init__(self, login: str, password: str):
        super().__init__("fake-android-phone")
        self.login = login
        self.password = password
        self.errors: dict[str, int] = {}
        self.states: dict[str, str] = {}
        """A recipient state to answer for a number instead of `Pending` (e.g. `Failed`)."""
        self.delay = 0.0
        self.sent: list[dict] = []
        self.webhooks: dict[str, dict] = {}
        self.app.post("/messages")(self._send)
        self.app.get("/messages/<message_id>")(self._state)
        self.app.get("/webhooks")(self._list_webhooks)
        self.app.post("/webhooks")(self._put_webhook)
        self.app.delete("/webhooks/<hook_id>")(self._delete_webhook)
        self.app.before_request(self._authenticate)

    def reset(self) -> None:
        super().reset()
        self.errors.clear()
        self.states.clear()
        self.delay = 0.0
        self.sent.clear()
        self.webhooks.clear()

    def _authenticate(self):
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.login, self.password):
            return jsonify(message="Unauthorized"), 401
        return None

    def failure(self, status: int) -> Response:
        return jsonify(message="fake failure"), status

    def _send(self):
        time.sleep(self.delay)
        body = request.get_json()
        numbers = body.get("phoneNumbers") or []
        text = (body.get("textMessage") or {}).get("text")
        if not numbers or not text:
            return jsonify(message="phoneNumbers is empty"), 400
        for number in numbers:
            if number in self.errors:
                return jsonify(message=f"invalid phone number: {number}"), self.errors[number]
        message_id = body.get("id") or uuid.uuid4().hex[:21]
        sim = body.get("simNumber")
        for number in numbers:
            self.sent.append(
                {
                    "to": number,
                    "from": f"sim:{sim}" if sim else "sim:default",
                    "message": text,
                    "id": message_id,
                    "device": body.get("deviceId"),
                    "delivery_report": body.get("withDeliveryReport"),
                }
            )
        recipients = [
            {"phoneNumber": n, "state": self.states.get(n, "Pending"), "error": None}
            for n in numbers
        ]
        for recipient in recipients:
            if recipient["state"] == "Failed":
                recipient["error"] = "SIM card not ready"
        now = datetime.now(UTC).isoformat()
        answer = {
            "id": message_id,
            "state": "Pending",
            "recipients": recipients,
            "isHashed": False,
            "isEncrypted": False,
            "states": {"Pending": now},
        }
        return jsonify(answer), 202

    def _state(self, message_id: str):
        sent = [m for m in self.sent if m["id"] == message_id]
        if not sent:
            return jsonify(message="not found"), 404
        recipients = [{"phoneNumber": m["to"], "state": "Sent", "error": None} for m in sent]
        return jsonify(id=message_id, state="Sent", recipients=recipients, isHashed=False)

    def _list_webhooks(self):
        return jsonify(list(self.webhooks.values()))

    def _put_webhook(self):
        body = request.get_json()
        hook = {
            "id": body.get("id") or uuid.uuid4().hex[:21],
            "url": body["url"],
            "event": body["event"],
        }
        self.webhooks[hook["id"]] = hook
        return jsonify(hook), 201

    def _delete_webhook(self, hook_id: str):
        self.webhooks.pop(hook_id, None)
        return Response(status=204)


class PhoneWebhooks:
    """The phone's webhooks, posted to our app through a Flask test client."""

    def __init__(self, client, key: str, device_id: str = DEVICE_ID, path: str = "/sms/android"):
        self.client = client
        self.key = key
        self.device_id = device_id
        self.path = path

    def post(
        self,
        event: str,
        payload: dict,
        *,
        event_id: str | None = None,
        key: str | None = None,
        timestamp: str | None = None,
        signature: str | None = None,
        body: bytes | None = None,
    ):
        """POST one event, signed with `key` (ours unless given) at `timestamp` (now)."""
        if body is None:
            envelope = {
                "deviceId": self.device_id,
                "event": event,
                "id": event_id or uuid.uuid4().hex[:21],
                "payload": payload,
                "webhookId": f"pengaduan-{event.replace(':', '-')}",
            }
            body = json.dumps(envelope).encode()
        timestamp = timestamp if timestamp is not None else str(int(time.time()))
        headers = {"X-Timestamp": timestamp}
        headers["X-Signature"] = (
            signature if signature is not None else sign(key or self.key, body, timestamp)
        )
        return self.client.post(
            self.path, data=body, headers=headers, content_type="application/json"
        )

    def received(self, phone: str, text: str, sim: int | None = 1, **options):
        """`sms:received` as the app sends it today: the sender in `sender` and in the deprecated
        `phoneNumber`, `recipient` (the SIM's own number) unknown; its `messageId` is derived
        from the content, as the app does."""
        payload = {
            "messageId": hashlib.sha256(f"{phone}{text}".encode()).hexdigest()[:16],
            "message": text,
            "sender": phone,
            "recipient": None,
            "phoneNumber": phone,
            "simNumber": sim,
            "receivedAt": _local_now(),
        }
        return self.post("sms:received", payload, **options)

    def delivery(self, event: str, message_id: str, phone: str, reason: str | None = None, **kw):
        """`sms:sent`, `sms:delivered` or `sms:failed` for a message the phone sent."""
        field = {"sms:sent": "sentAt", "sms:delivered": "deliveredAt", "sms:failed": "failedAt"}
        payload = {"messageId": message_id, "phoneNumber": phone, "simNumber": None}
        payload[field.get(event, "at")] = kw.pop("at", None) or _local_now()
        if reason is not None:
            payload["reason"] = reason
        return self.post(event, payload, **kw)

    def ping(self, status: str = "pass", **options):
        health = {
            "status": status,
            "version": "1.40.0",
            "checks": {"battery:level": {"status": "pass", "observedValue": 81}},
        }
        return self.post("system:ping", {"health": health}, **options)


def _local_now() -> str:
    return datetime.now(WIB).isoformat(timespec="milliseconds")
