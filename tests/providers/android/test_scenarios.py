"""Every dialogue in tests/scenarios/android/, replayed through the phone: its signed webhooks
in, the official client out to the fake phone, real Redis, the real database and the RQ jobs.

The SMS scenario format (tests/sms/scenario.py), with the phone as the default `via`, plus:
`sms` options `key` (sign with another key), `age` (seconds the timestamp is old), `sim` and
`id` (the event id: the same id again is the phone retrying); `delivery` statuses are the
phone's events (`sms:sent`, `sms:delivered`, `sms:failed`, with `reason`); `ping: {}` sends a
`system:ping`; `healthz` checks the phone's entry in `/healthz` after the step."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from fakes.android_phone import PhoneWebhooks
from sms.scenario import Runner
from sqlalchemy import select

from casebridge.models import Caseworker

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "android"
VIA = "android"


class PhoneRunner(Runner):
    def __init__(self, *args, phone: PhoneWebhooks, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def step(self, step: dict) -> None:
        if "sms" in step and step["sms"].get("via", VIA) == VIA:
            step = {"status": 204, **step}
        if "ping" in step:
            assert self.phone.ping(**(step["ping"] or {})).status_code == 204, self.where
        super().step({k: v for k, v in step.items() if k not in ("ping", "healthz")})
        if "healthz" in step:
            self.check_health(step["healthz"])

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
        sent = [m for m in self.fakes[VIA].sent if m["to"] == spec["to"]]
        assert sent, f"{self.where}: the phone sent nothing to {spec['to']}"
        return self.phone.delivery(spec["status"], sent[-1]["id"], spec["to"], spec.get("reason"))

    def expect_replies(self, expected: list[dict]) -> None:
        super().expect_replies([{"via": VIA, **want} for want in expected])

    def check_health(self, spec: dict) -> None:
        body = self.client.get("/healthz").get_json()
        entry = body["providers"]["android"]
        assert body["status"] == "ok", (self.where, body)
        for key in ("ok", "waiting", "pings"):
            if key in spec:
                assert entry[key] == spec[key], (self.where, key, entry)
        if "last_seen" in spec:
            assert (entry["last_seen"] is not None) == spec["last_seen"], (self.where, entry)
        for text in spec.get("message", []):
            assert text in entry["message"], (self.where, entry["message"])
        warned = any(w.startswith("android:") for w in body.get("warnings", []))
        assert warned == (not entry["ok"]), (self.where, body)


def _scenarios() -> list:
    return [
        pytest.param(yaml.safe_load(path.read_text(encoding="utf-8")), id=path.stem)
        for path in sorted(SCENARIOS.glob("*.yaml"))
    ]


@pytest.mark.parametrize("scenario", _scenarios())
def test_scenario(
    scenario, client, services, sms_jobs, orgs, fake_at, fake_twilio, fake_phone, phone
):
    with services.db.session() as s:
        caseworkers = set(s.scalars(select(Caseworker.phone)))
    fakes = {"africastalking": fake_at, "twilio": fake_twilio, VIA: fake_phone}
    PhoneRunner(scenario, client, services, sms_jobs, fakes, caseworkers, phone=phone).run()
