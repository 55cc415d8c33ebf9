"""An in-memory VoiceContext and helpers to drive a call."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from casebridge import refs
from ivr_scripts import engine
from ivr_scripts.context import CaseStatus, Submission, SubmitError
from ivr_scripts.step import Say, Step, VoiceInput

CALLER = "+6281234567890"
OTHER_PHONE = "+6289876543210"


def make_ref(body: str) -> str:
    """A valid 8-digit reference from 7 digits."""
    return body + refs.check_digit(body)


@dataclass
class Case:
    status: CaseStatus
    phone: str
    pin: str


@dataclass
class FakeContext:
    """Stores submissions and answers lookups from a dict; counts PIN tries."""

    cases: dict[str, Case] = field(default_factory=dict)
    submissions: list[dict] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    fail_submit: bool = False
    lock_after: int = 3
    pin_failures: int = 0
    next_reference: str = "4821-7739"
    next_pin: str = "1234"

    def submit(self, answers, phone, lang, recording_url, recording_duration) -> Submission:
        self.submissions.append(
            {
                "answers": answers,
                "phone": phone,
                "lang": lang,
                "recording_url": recording_url,
                "recording_duration": recording_duration,
            }
        )
        if self.fail_submit:
            raise SubmitError("database down")
        return Submission(self.next_reference, self.next_pin, "SBMI Banyuwangi")

    def lookup(self, reference, phone):
        case = self.cases.get(reference)
        return case.status if case and case.phone == phone else None

    def lookup_with_pin(self, reference, pin, phone):
        if self.pin_failures >= self.lock_after:
            return "locked"
        case = self.cases.get(reference)
        if case and case.pin == pin:
            return case.status
        self.pin_failures += 1
        return None

    def set_language(self, phone, lang):
        self.languages.append((phone, lang))


class Call:
    """A call in progress: press keys, record, and look at what was said."""

    def __init__(self, ctx: FakeContext | None = None, phone: str = CALLER, lang: str = "id"):
        self.ctx = ctx or FakeContext()
        self.state, self.step = engine.start(phone, lang, self.ctx)
        self._roundtrip()

    def _roundtrip(self) -> None:
        # The state lives in Redis between requests: it must survive JSON unchanged.
        assert json.loads(json.dumps(self.state)) == self.state

    def send(self, inp: VoiceInput) -> Step:
        old = self.state
        before = json.dumps(old, sort_keys=True)
        self.state, self.step = engine.step(old, inp, self.ctx)
        assert json.dumps(old, sort_keys=True) == before, "step() changed its input state"
        self._roundtrip()
        return self.step

    def press(self, *keys: str) -> Step:
        for key in keys:
            self.send(VoiceInput(digits=key))
        return self.step

    def silence(self) -> Step:
        return self.send(VoiceInput(timed_out=True))

    def record(self, url: str | None = "https://api.twilio.com/rec/RE1", seconds: int = 42):
        return self.send(VoiceInput(recording_url=url, recording_duration=seconds))

    @property
    def node(self) -> str:
        return self.state["node"]

    @property
    def said(self) -> list[str]:
        return said(self.step)


def said(step: Step) -> list[str]:
    """The texts of a step (audio files as `<file>`)."""
    return [i.text if isinstance(i, Say) else f"<{i.audio_file}>" for i in step.speech]
