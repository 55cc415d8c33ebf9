"""Replays every call scenario in `tests/scenarios/voice/*.yaml` against the app.

A scenario is a call written as data: the provider, settings, a case that exists before,
then steps (`dial`, `press`, `silence`, `record`, `repeat`, `hang_up`, `jobs`, `callback`,
`new_call`), each with what the reply must hold, and `then:` what the database must hold.
Strings may use `{ref}` (the case reference read digit by digit), `{ref_each}` (its digits
as recordings say them, one by one), `{ref_digits}`, `{ref_typo}` (one digit wrong), `{pin}`
and `{caller}`. `only_plays: true` (AT in Indonesian): no `<Say>` at all, only recordings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from casebridge import refs, texts
from casebridge.models import Case, Message
from gateway.voice import callback
from ivr_scripts.catalogue import spell_digits

from .conftest import CALLER, case_of_call, reference_of_call, session_of_call

FOLDER = Path(__file__).resolve().parent.parent / "scenarios" / "voice"
FILES = sorted(FOLDER.glob("*.yaml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def scenario() -> dict:
    return {}


@pytest.fixture
def extra_settings(scenario) -> dict:
    return scenario.get("settings") or {}


class Replay:
    def __init__(self, scenario: dict, dial, services, jobs, twilio_api, at_api):
        self.scenario = scenario
        self.dial = dial
        self.services = services
        self.jobs = jobs
        self.apis = {"twilio": twilio_api, "africastalking": at_api}
        self.provider = scenario["provider"]
        self.caller = scenario.get("caller", CALLER)
        self.values: dict[str, str] = {"caller": self.caller}
        self.call = None
        self.calls = []

    # --- placeholders -----------------------------------------------------------------
    def know_case(self, reference: str, pin: str | None = None) -> None:
        typo = str((int(reference[0]) + 1) % 10) + reference[1:]
        self.values.update(
            ref=spell_digits(reference),
            ref_each=" ".join(reference),
            ref_digits=reference,
            ref_typo=typo,
        )
        if pin:
            self.values["pin"] = pin

    def fill(self, value):
        if isinstance(value, str):
            return value.format_map(self.values)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    # --- steps ------------------------------------------------------------------------
    def new_call(self, outbound: bool = False):
        self.call = self.dial(self.provider, self.caller, outbound=outbound)
        self.calls.append(self.call)
        return self.call.dial()

    def run(self, step: dict) -> None:
        (action, arg), *extra = [(k, v) for k, v in step.items() if k != "expect"]
        assert not extra, f"one action per step: {step}"
        expect = step.get("expect") or {}
        arg = self.fill(arg)
        if action in ("dial", "new_call"):
            reply = self.new_call()
        elif action == "callback":  # the call our job placed is answered
            reply = self.new_call(outbound=True)
        elif action == "press":
            reply = self.call.press(str(arg))
        elif action == "silence":
            reply = self.call.silence()
        elif action == "record":
            arg = arg or {}
            reply = self.call.record(
                arg.get("url"), **({"duration": arg["duration"]} if "duration" in arg else {})
            )
        elif action == "repeat":
            reply = self.call.repeat()
        elif action == "hang_up":
            reply = self.call.hang_up(**(arg or {}))
        elif action == "jobs":
            self.jobs.run()
            return
        else:
            raise AssertionError(f"unknown step {action!r}")
        self.learn_reference()
        self.check_reply(reply, self.fill(expect))

    def learn_reference(self) -> None:
        if "ref" in self.values or self.call is None:
            return
        reference = reference_of_call(self.services, self.provider, self.call.call_id)
        if reference is not None:
            self.know_case(reference)

    def check_reply(self, reply, expect: dict) -> None:
        assert reply.status == expect.get("status", 200), reply.xml
        if reply.status != 200:
            return
        text = reply.text
        position = 0
        for fragment in expect.get("says", []):
            found = text.find(fragment, position)
            assert found >= 0, f"{fragment!r} not said (in order) in: {text}"
            position = found + len(fragment)
        for fragment in expect.get("not_says", []):
            assert fragment not in text, f"{fragment!r} said in: {text}"
        if "verbs" in expect:
            assert reply.verbs == expect["verbs"], reply.xml
        for tag_key, tags in (("gather", ("Gather", "GetDigits")), ("record", ("Record",))):
            if tag_key in expect:
                el = reply.find(*tags)
                assert el is not None, reply.xml
                for name, value in expect[tag_key].items():
                    assert el.get(name) == str(value), (name, el.attrib)
        if "language" in expect:  # Twilio: every <Say> in this language
            languages = {el.get("language") for el in reply.root.iter("Say")}
            assert languages == {expect["language"]}, reply.xml
        if expect.get("only_plays"):
            assert reply.root.find(".//Say") is None, reply.xml
        if "plays" in expect:  # AT: these recordings, in order
            played = [el.get("url").rsplit("/", 1)[-1] for el in reply.root.iter("Play")]
            assert played == expect["plays"], played
        if "hangs_up" in expect:
            assert reply.hangs_up == expect["hangs_up"], reply.xml
        if "rejects" in expect:
            assert (reply.root.find("Reject") is not None) == expect["rejects"], reply.xml

    # --- afterwards -------------------------------------------------------------------
    def check_then(self, then: dict) -> None:
        then = self.fill(then)
        if then.get("jobs"):
            self.jobs.run()
        with self.services.db.session() as session:
            if "cases" in then:
                count = session.scalar(
                    select(func.count()).select_from(Case).where(Case.channel == "voice")
                )
                assert count == then["cases"]
        if "case" in then:
            self.check_case(then["case"])
        if "sms_to_caller" in then:
            with self.services.db.session() as session:
                sent = session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .where(Message.direction == "out", Message.phone == self.caller)
                )
            assert sent == then["sms_to_caller"]
        if "session" in then:
            self.check_session(then["session"])
        for provider, count in (then.get("callbacks") or {}).items():
            seen = self.apis[provider].requests
            assert len(seen) == count, seen
            for request in seen:
                assert self.caller in request.form.get("To", request.form.get("to", ""))
        if "throttled" in then:
            ttl = self.services.redis.ttl(callback.throttle_key(self.caller))
            assert (0 < ttl <= callback.THROTTLE_SECONDS) == then["throttled"], ttl

    def check_case(self, expected: dict) -> None:
        call = next(
            c for c in reversed(self.calls) if case_of_call(self.services, self.provider, c.call_id)
        )
        case = case_of_call(self.services, self.provider, call.call_id)
        assert refs.is_valid(case.reference)
        for name, value in expected.items():
            if name == "organisation":
                assert (case.organisation is not None) == bool(value), case.organisation
            elif name == "sms_safe":
                assert case.reporter.sms_safe == value
            elif name == "reporter_language":
                assert case.reporter.language == value
            elif name == "country":
                assert case.worker.country == value
            else:
                assert getattr(case, name) == value, (name, getattr(case, name))

    def check_session(self, expected: dict) -> None:
        row = session_of_call(self.services, self.provider, self.call.call_id)
        assert row is not None, "the end of the call was not recorded"
        for name, value in expected.items():
            if name == "case_reference":
                assert row.case_reference == (self.values["ref_digits"] if value else None)
            else:
                assert getattr(row, name) == value, (name, getattr(row, name))


@pytest.mark.parametrize("scenario", [_load(p) for p in FILES], ids=[p.stem for p in FILES])
def test_call_scenario(scenario, dial, services, jobs, orgs, make_case, twilio_api, at_api):
    replay = Replay(scenario, dial, services, jobs, twilio_api, at_api)
    given = scenario.get("given") or {}
    if "case" in given:
        spec = given["case"]
        reference, pin = make_case(spec.get("phone", replay.caller), spec.get("status", "assigned"))
        replay.know_case(reference, pin)
        replay.values["status_word"] = texts.status_word(spec.get("status", "assigned"), "id")
    for step in scenario["steps"]:
        replay.run(step)
    replay.check_then(scenario.get("then") or {})


def test_there_are_scenarios_for_both_providers():
    providers = {_load(p)["provider"] for p in FILES}
    assert providers == {"twilio", "africastalking"}
