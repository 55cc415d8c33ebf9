"""Calls as a scenario driver: Twilio or Africa's Talking (the scenario's `provider`) calling
the app, signed or with the webhook token as configured, from `caller`.

Scenario keys: `provider`, `caller`, `settings` (more settings for the app), `given: {case:
{phone, status}}` (a case that exists before: `{ref}`, `{pin}` and `{status_word}` are known
from the start; otherwise `{ref}` is the reference of the report left in the call, once it is
stored). Actions: `dial: A` (a new call named A), `callback: B` (the call our job placed is
answered), `press: "1"`, `silence: true`, `record: {url, duration}`, `retry: true` (the
provider sends its last request again), `hang_up: {duration, cause|status}`, `jobs: true`.
The reply's text is everything said, recordings as the words they hold. `expect:` also knows
`status` (200 unless said), `verbs`, `gather`/`record` (attributes), `language` (Twilio: of
every `<Say>`), `only_plays` (no `<Say>` at all), `plays` (AT: these recordings, in order),
`hangs_up`, `rejects`. Checks: `calls_placed: {twilio: 1, ...}` (callbacks asked of each
provider's API, all to the caller), `throttled` (whether the caller's callback is throttled).
"""

from __future__ import annotations

from scenarios.runner import Driver

from casebridge import refs, texts
from gateway.voice import callback
from tests.conftest import phone_index

from .conftest import CALLER, reference_of_call


class VoiceDriver(Driver):
    actions = ("dial", "callback", "press", "silence", "record", "retry", "hang_up", "jobs")
    reply_checks = (
        *("status", "verbs", "gather", "record", "language"),
        *("only_plays", "plays", "hangs_up", "rejects"),
    )
    checks = ("calls_placed", "throttled")
    scenario_keys = ("provider", "caller", "settings", "given")

    def __init__(self, dial, services, jobs, make_case, apis: dict):
        super().__init__()
        self.dial, self.services, self.jobs = dial, services, jobs
        self.make_case, self.apis = make_case, apis
        self.call = None
        self.reference_known = False

    def begin(self, scenario: dict) -> dict[str, str]:
        self.provider = scenario["provider"]
        self.caller = scenario.get("caller", CALLER)
        given = (scenario.get("given") or {}).get("case")
        if given is None:
            return {}
        status = given.get("status", "assigned")
        reference, pin = self.make_case(given.get("phone", self.caller), status)
        self.reference_known = True
        return {
            "ref": refs.format_ref(reference),
            "pin": pin,
            "status_word": texts.status_word(status, "id"),
        }

    def act(self, action: str, arg):
        if action in ("dial", "callback"):
            self.call = self.dial(self.provider, self.caller, outbound=action == "callback")
            self.sessions[str(arg)] = self.call.call_id
            return self.call.dial()
        if action == "press":
            return self.call.press(str(arg))
        if action == "silence":
            return self.call.silence()
        if action == "record":
            duration = {"duration": arg["duration"]} if "duration" in arg else {}
            return self.call.record(arg.get("url"), **duration)
        if action == "retry":
            return self.call.repeat()
        if action == "hang_up":
            return self.call.hang_up(**arg)
        self.jobs.run()
        return None

    def learned(self) -> dict[str, str]:
        if self.reference_known or self.call is None:
            return {}
        reference = reference_of_call(self.services, self.provider, self.call.call_id)
        if reference is None:
            return {}
        self.reference_known = True
        return {"ref": refs.format_ref(reference)}

    def text(self, reply) -> str:
        return reply.text

    def check_reply(self, reply, expect: dict, where: str) -> None:
        assert reply.status == expect.get("status", 200), (where, reply.xml)
        if reply.status != 200:
            return
        if "verbs" in expect:
            assert reply.verbs == expect["verbs"], (where, reply.xml)
        for key, tags in (("gather", ("Gather", "GetDigits")), ("record", ("Record",))):
            if key in expect:
                el = reply.find(*tags)
                assert el is not None, (where, reply.xml)
                for name, value in expect[key].items():
                    assert el.get(name) == str(value), (where, name, el.attrib)
        if "language" in expect:
            languages = {el.get("language") for el in reply.root.iter("Say")}
            assert languages == {expect["language"]}, (where, reply.xml)
        if expect.get("only_plays"):
            assert reply.root.find(".//Say") is None, (where, reply.xml)
        if "plays" in expect:
            played = [el.get("url").rsplit("/", 1)[-1] for el in reply.root.iter("Play")]
            assert played == expect["plays"], (where, played)
        if "hangs_up" in expect:
            assert reply.hangs_up == expect["hangs_up"], (where, reply.xml)
        if "rejects" in expect:
            assert (reply.root.find("Reject") is not None) == expect["rejects"], (where, reply.xml)

    def check(self, key: str, arg, where: str) -> None:
        if key == "throttled":
            ttl = self.services.redis.ttl(callback.throttle_key(phone_index(self.caller)))
            assert (0 < ttl <= callback.THROTTLE_SECONDS) == arg, (where, ttl)
            return
        for provider, count in arg.items():
            seen = self.apis[provider].requests
            assert len(seen) == count, (where, provider, seen)
            for request in seen:
                assert self.caller in request.form.get("To", request.form.get("to", "")), where
