"""Replaying an SMS dialogue written as data (`tests/scenarios/sms/*.yaml`).

A scenario is a list of steps. Each step may send an inbound SMS or a delivery report through
the app's webhooks (as Africa's Talking or Twilio would), program a fake provider (fail the
next calls, refuse a number), run the sweeper; then every queued job runs, and the step says
which SMS the fake providers received (`replies`: all of them, nothing else) and what the
database holds (`db`). The clock moves `after` seconds (30 by default) before each step.

Values saved from a reply (`save: {ref: "No: (\\d{4}-\\d{4})"}`) are used as `$ref` by the
replies listed after it and by every later step. `SCENARIO_ECHO=1 pytest -s` prints the SMS.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from string import Template
from typing import Any

import time_machine
from fakes import webhooks
from sqlalchemy import func, select

from casebridge import refs
from casebridge.models import Case, ContactEvent, Message, Organisation, Reporter

START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
FORBIDDEN = ("kekerasan", "tppo", "pelecehan", "perdagangan", "violence", "trafficking", "abuse")
"""Words that must never reach a reporter's phone in our texts."""


class Runner:
    def __init__(self, scenario: dict, client, services, jobs, fakes: dict, caseworkers: set):
        self.scenario = scenario
        self.client = client
        self.services = services
        self.jobs = jobs
        self.fakes = fakes
        self.caseworkers = caseworkers
        self.seen = {name: 0 for name in fakes}
        self.vars: dict[str, str] = {}

    def run(self) -> None:
        with time_machine.travel(START, tick=True) as traveller:
            for number, step in enumerate(self.scenario["steps"], start=1):
                self.where = f"step {number} ({step.get('say', '')})"
                traveller.shift(step.get("after", 30))
                self.step(step)

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return Template(value).substitute(self.vars)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    def step(self, step: dict) -> None:
        replies = step.get("replies") or []
        step = self.fill({k: v for k, v in step.items() if k != "replies"})
        if "fail_next" in step:
            spec = step["fail_next"]
            self.fakes[spec["via"]].fail_next(spec.get("count", 1), spec.get("status", 500))
        if "refuse" in step:
            spec = step["refuse"]
            fake = self.fakes[spec["via"]]
            table = fake.statuses if spec["via"] == "africastalking" else fake.errors
            table[spec["to"]] = spec["code"]
        if "sms" in step:
            response = self.inbound(step["sms"])
            expected = step.get("status", 200)
            assert response.status_code == expected, (self.where, response.data)
            if "response" in step:
                assert step["response"] in response.get_data(as_text=True), self.where
        if "delivery" in step:
            response = self.delivery(step["delivery"])
            expected = step["delivery"].get("http", (200, 204))
            assert response.status_code in (
                expected if isinstance(expected, tuple) else (expected,)
            ), (self.where, response.data)
        if step.get("tick"):
            self.jobs.tick()
        self.jobs.run()
        self.expect_replies(replies)
        self.check_db(step.get("db") or {})

    def inbound(self, sms: dict):
        via = sms.get("via", "africastalking")
        if via == "twilio":
            return webhooks.twilio_sms(
                self.client, sms["from"], sms["to"], sms["text"], sms.get("id")
            )
        return webhooks.at_sms(self.client, sms["from"], sms["to"], sms["text"], sms.get("id"))

    def delivery(self, spec: dict):
        via = spec.get("via", "africastalking")
        sent = [m for m in self.fakes[via].sent if m["to"] == spec["to"]]
        assert sent, f"{self.where}: nothing was sent to {spec['to']} via {via}"
        message_id = sent[-1]["id"]
        if via == "twilio":
            return webhooks.twilio_status(self.client, message_id, spec["status"], spec.get("code"))
        return webhooks.at_delivery(self.client, message_id, spec["status"], spec.get("reason"))

    def new_messages(self) -> list[dict]:
        found = []
        for name, fake in self.fakes.items():
            found += [{**m, "via": name} for m in fake.sent[self.seen[name] :]]
            self.seen[name] = len(fake.sent)
        return found

    def expect_replies(self, expected: list[dict]) -> None:
        new = self.new_messages()
        if os.environ.get("SCENARIO_ECHO"):  # SCENARIO_ECHO=1 pytest -s: see the dialogue
            print(f"\n-- {self.where}")
            for m in new:
                print(f"   {m['via']} {m['from'] or '-'} -> {m['to']}: {m['message']!r}")
        for message in new:
            if message["to"] not in self.caseworkers:
                lowered = message["message"].lower()
                assert not any(w in lowered for w in FORBIDDEN), (self.where, message)
        left = list(new)
        for want in expected:
            want = self.fill(want)  # values saved by an earlier reply of this step count too
            contains = want.get("contains", [])
            contains = [contains] if isinstance(contains, str) else contains
            match = next(
                (
                    m
                    for m in left
                    if m["to"] == want["to"]
                    and m["via"] == want.get("via", "africastalking")
                    and ("from" not in want or m["from"] == want["from"])
                    and all(c in m["message"] for c in contains)
                ),
                None,
            )
            assert match is not None, f"{self.where}: no SMS like {want}; got {new}"
            left.remove(match)
            for word in want.get("absent", []):
                assert word not in match["message"], (self.where, match)
            for name, pattern in want.get("save", {}).items():
                found = re.search(pattern, match["message"])
                assert found, f"{self.where}: {pattern!r} not in {match['message']!r}"
                self.vars[name] = found.group(1)
        assert not left, f"{self.where}: unexpected SMS {left}"

    def check_db(self, db: dict) -> None:
        with self.services.db.session() as s:
            if "cases" in db:
                assert s.scalar(select(func.count(Case.id))) == db["cases"], self.where
            if "case" in db:
                self.check_case(s, db["case"])
            if "reporter" in db:
                self.check_reporter(s, db["reporter"])
            if "inbound" in db:
                spec = db["inbound"]
                statuses = list(
                    s.scalars(
                        select(Message.status)
                        .where(Message.direction == "in", Message.phone == spec["from"])
                        .order_by(Message.id)
                    )
                )
                assert statuses == spec["statuses"], (self.where, statuses)
            if "outbox" in db:
                spec = db["outbox"]
                query = select(Message).where(
                    Message.direction == "out", Message.phone == spec["to"]
                )
                if "purpose" in spec:
                    query = query.where(Message.purpose == spec["purpose"])
                message = s.scalars(query.order_by(Message.id.desc())).first()
                assert message is not None, self.where
                assert message.status == spec["status"], (self.where, message.status, message.error)
                if "error" in spec:
                    assert spec["error"] in (message.error or ""), (self.where, message.error)
            if "contact_events" in db:
                spec = db["contact_events"]
                kinds = list(
                    s.scalars(
                        select(ContactEvent.kind)
                        .join(Reporter, Reporter.id == ContactEvent.reporter_id)
                        .where(Reporter.phone == spec["phone"])
                        .order_by(ContactEvent.id)
                    )
                )
                assert kinds == spec["kinds"], (self.where, kinds)

    def check_case(self, s, spec: dict) -> None:
        query = select(Case).order_by(Case.id.desc())
        if "ref" in spec:
            query = query.where(Case.reference == refs.normalise(spec["ref"]))
        if "reporter" in spec:
            query = query.join(Reporter, Reporter.id == Case.reporter_id).where(
                Reporter.phone == spec["reporter"]
            )
        case = s.scalars(query).first()
        assert case is not None, f"{self.where}: no case {spec}"
        worker = case.worker
        actual = {
            "status": case.status,
            "category": case.category,
            "channel": case.channel,
            "language": case.language,
            "relationship": case.relationship_,
            "country": worker.country,
            "province": worker.province,
            "regency": worker.regency,
            "worker_name": worker.name,
            "worker_gender": worker.gender,
            "sms_safe": case.reporter.sms_safe,
            "organisation": s.scalar(
                select(Organisation.code).where(Organisation.id == case.organisation_id)
            ),
        }
        for key, want in spec.items():
            if key in actual:
                assert actual[key] == want, f"{self.where}: case {key} {actual[key]!r} != {want!r}"
        if "description" in spec:
            assert spec["description"] in (case.description or ""), (self.where, case.description)
        kinds = [e.kind if e.kind != "status" else f"status:{e.to_status}" for e in case.events]
        for kind in spec.get("events", []):
            assert kind in kinds, f"{self.where}: no {kind!r} event in {kinds}"
        for kind in spec.get("events_absent", []):
            assert kind not in kinds, f"{self.where}: {kind!r} event in {kinds}"
        notes = " | ".join(e.note or "" for e in case.events)
        for text in spec.get("notes", []):
            assert text in notes, f"{self.where}: {text!r} not in the timeline notes {notes!r}"

    def check_reporter(self, s, spec: dict) -> None:
        reporter = s.scalar(select(Reporter).where(Reporter.phone == spec["phone"]))
        assert reporter is not None, f"{self.where}: no reporter {spec['phone']}"
        for key, want in spec.items():
            if key != "phone":
                assert getattr(reporter, key) == want, (self.where, key, getattr(reporter, key))
