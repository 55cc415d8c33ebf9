"""The office's Android phone as a scenario driver: the SMS driver, with the phone as the
default `via`, its signed webhooks in and the fake phone recording what the app sends.

`sms` also takes `key` (sign with another key), `age` (seconds the timestamp is old), `sim`
and `id` (the event id: the same id again is the phone retrying), and answers 204; `delivery`
statuses are the phone's events (`sms:sent`, `sms:delivered`, `sms:failed`, with `reason`);
`ping: true` sends a `system:ping`. Check: `healthz`, the phone's entry in `/healthz`.
"""

from __future__ import annotations

import time

from fakes.android_phone import PhoneWebhooks
from sms.driver import SmsDriver

VIA = "android"


class PhoneDriver(SmsDriver):
    actions = (*SmsDriver.actions, "ping")
    checks = ("healthz",)
    default_via = VIA

    def __init__(self, *args, phone: PhoneWebhooks, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def act(self, action: str, arg):
        if action == "ping":
            self.statuses = (204,)
            return self.phone.ping()
        return super().act(action, arg)

    def inbound_statuses(self, sms: dict) -> tuple[int, ...]:
        return (204,) if sms.get("via", VIA) == VIA else super().inbound_statuses(sms)

    def inbound(self, sms: dict):
        if sms.get("via", VIA) != VIA:
            return super().inbound(sms)
        options = {"event_id": sms.get("id"), "key": sms.get("key")}
        if "age" in sms:
            options["timestamp"] = str(int(time.time()) - sms["age"])
        return self.phone.received(sms["from"], sms["text"], sim=sms.get("sim", 1), **options)

    def delivery(self, spec: dict):
        if spec.get("via", VIA) != VIA:
            return super().delivery(spec)
        message_id = self.last_sent_id(VIA, spec["to"])
        return self.phone.delivery(spec["status"], message_id, spec["to"], spec.get("reason"))

    def check(self, key: str, spec: dict, where: str) -> None:
        body = self.client.get("/healthz").get_json()
        entry = body["providers"]["android"]
        assert body["status"] == "ok", (where, body)
        for name in ("ok", "waiting", "pings"):
            if name in spec:
                assert entry[name] == spec[name], (where, name, entry)
        if "last_seen" in spec:
            assert (entry["last_seen"] is not None) == spec["last_seen"], (where, entry)
        for text in spec.get("message", []):
            assert text in entry["message"], (where, entry["message"])
        warned = any(w.startswith("android:") for w in body.get("warnings", []))
        assert warned == (not entry["ok"]), (where, body)
