"""SMS through Africa's Talking and Twilio as a scenario driver: inbound SMS and delivery
reports reach the app's webhooks as each provider sends them, the fake providers record what
the app sends through their real SDKs, and every queued job runs after each step.

Set-up: `fail_next: {via, count, status}` (the provider fails its next sends), `refuse: {via,
to, code}` (it refuses a number). Actions: `sms: {from, to, text, via, id}` (`via` is
africastalking unless said), `delivery: {to, status, via, code|reason}` (a report for the last
SMS sent to `to`), `tick: true` (the sweeper's tick). The reply is the webhook's answer, with
`expect: {status: …}` (200 for an SMS and 200/204 for a report unless said). The clock moves 30
seconds before each step. No SMS to a reporter may hold a word that names the problem.
"""

from __future__ import annotations

from fakes import webhooks
from scenarios.runner import Driver
from sqlalchemy import select

from casebridge.models import Caseworker

FORBIDDEN = ("kekerasan", "tppo", "pelecehan", "perdagangan", "violence", "trafficking", "abuse")
"""Words that must never reach a reporter's phone in our texts."""


class SmsDriver(Driver):
    actions = ("sms", "delivery", "tick")
    setups = ("fail_next", "refuse")
    reply_checks = ("status",)
    clock_step = 30
    default_via = "africastalking"

    def __init__(self, client, services, jobs, fakes: dict):
        super().__init__()
        self.client, self.jobs, self.fakes = client, jobs, fakes
        self.seen = {name: 0 for name in fakes}
        self.statuses: tuple[int, ...] = ()
        with services.db.session() as session:
            self.caseworkers = set(session.scalars(select(Caseworker.phone)))

    def setup(self, key: str, spec: dict) -> None:
        fake = self.fakes[spec["via"]]
        if key == "fail_next":
            fake.fail_next(spec.get("count", 1), spec.get("status", 500))
        else:
            table = fake.statuses if spec["via"] == "africastalking" else fake.errors
            table[spec["to"]] = spec["code"]

    def act(self, action: str, arg):
        if action == "tick":
            self.jobs.tick()
            return None
        if action == "sms":
            self.statuses = self.inbound_statuses(arg)
            return self.inbound(arg)
        self.statuses = (200, 204)
        return self.delivery(arg)

    def inbound_statuses(self, sms: dict) -> tuple[int, ...]:
        return (200,)

    def inbound(self, sms: dict):
        via = sms.get("via", "africastalking")
        if via == "twilio":
            return webhooks.twilio_sms(
                self.client, sms["from"], sms["to"], sms["text"], sms.get("id")
            )
        return webhooks.at_sms(self.client, sms["from"], sms["to"], sms["text"], sms.get("id"))

    def last_sent_id(self, via: str, to: str) -> str:
        sent = [m for m in self.fakes[via].sent if m["to"] == to]
        assert sent, f"nothing was sent to {to} via {via}"
        return sent[-1]["id"]

    def delivery(self, spec: dict):
        via = spec.get("via", "africastalking")
        message_id = self.last_sent_id(via, spec["to"])
        if via == "twilio":
            return webhooks.twilio_status(self.client, message_id, spec["status"], spec.get("code"))
        return webhooks.at_delivery(self.client, message_id, spec["status"], spec.get("reason"))

    def text(self, reply) -> str:
        return reply.get_data(as_text=True)

    def check_reply(self, reply, expect: dict, where: str) -> None:
        wanted = expect.get("status", self.statuses)
        wanted = wanted if isinstance(wanted, tuple) else (wanted,)
        assert reply.status_code in wanted, (where, reply.status_code, self.text(reply))

    def settle(self) -> list[dict]:
        self.jobs.run()
        found = []
        for name, fake in self.fakes.items():
            found += [
                {"via": name, "from": m["from"], "to": m["to"], "text": m["message"]}
                for m in fake.sent[self.seen[name] :]
            ]
            self.seen[name] = len(fake.sent)
        for message in found:
            if message["to"] not in self.caseworkers:
                lowered = message["text"].lower()
                assert not any(word in lowered for word in FORBIDDEN), message
        return found
