"""An in-memory UssdContext and a helper to drive a USSD session."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from casebridge import refs
from ussd_menus import engine
from ussd_menus.context import CaseStatus, Submission, SubmitError
from ussd_menus.screens import LIMIT, Screen

CALLER = "+6281234567890"
OTHER_PHONE = "+6289876543210"
ORGS = [("SBMI-BWI", "SBMI Banyuwangi"), ("MC-JBR", "Migrant CARE Jember")]


def make_ref(body: str) -> str:
    """A valid 8-digit reference from 7 digits."""
    return body + refs.check_digit(body)


@dataclass
class StoredCase:
    status: CaseStatus
    phone: str
    pin: str


@dataclass
class FakeContext:
    """Cases, organisations and language choices kept in memory."""

    cases: list[StoredCase] = field(default_factory=list)
    orgs: list[tuple[str, str]] = field(default_factory=lambda: list(ORGS))
    submitted: list[dict] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)
    lookups: list[tuple[str, str | None, str]] = field(default_factory=list)
    fail_submits: int = 0
    locked: bool = False

    def org_choices(self, answers: dict, lang: str) -> list[tuple[str, str]]:
        return list(self.orgs)

    def cases_for_phone(self, phone: str) -> list[CaseStatus]:
        return [c.status for c in reversed(self.cases) if c.phone == phone]

    def lookup(
        self, reference: str, pin: str | None, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        self.lookups.append((reference, pin, phone))
        if self.locked:
            return "locked"
        for case in self.cases:
            if case.status.reference == reference and (case.phone == phone or case.pin == pin):
                return case.status
        return None

    def submit(self, answers: dict, phone: str, lang: str) -> Submission:
        if self.fail_submits:
            self.fail_submits -= 1
            raise SubmitError("database is away")
        self.submitted.append(dict(answers))
        reference = make_ref(f"{4821773 + len(self.submitted):07d}")
        org = dict(self.orgs).get(answers.get("organisation", ""))
        self.cases.append(StoredCase(CaseStatus(reference, "new", org), phone, "1234"))
        return Submission(reference, "1234", org)

    def set_language(self, phone: str, lang: str) -> None:
        self.languages[phone] = lang


@dataclass
class Session:
    """One USSD session driven hop by hop, checking every screen on the way."""

    ctx: FakeContext = field(default_factory=FakeContext)
    phone: str = CALLER
    lang: str = "id"
    state: dict = field(default_factory=dict)
    screen: Screen | None = None

    def start(self, resume: dict | None = None) -> Screen:
        self.state, self.screen = engine.start(self.phone, self.lang, self.ctx, resume)
        return self._checked()

    def press(self, *inputs: str) -> Screen:
        for text in inputs:
            self.state, self.screen = engine.step(self.state, text, self.ctx)
            self._checked()
        return self.screen

    def _checked(self) -> Screen:
        assert_fits(self.screen)
        assert len(json.dumps(self.state)) < 2048
        json.loads(json.dumps(self.state))
        return self.screen

    @property
    def text(self) -> str:
        return self.screen.text


def assert_fits(screen: Screen) -> None:
    from casebridge.gsm import is_gsm7, septets

    assert is_gsm7(screen.text), screen.text
    assert septets(screen.text) <= LIMIT, (septets(screen.text), screen.text)
    assert not screen.text.startswith(("CON", "END"))
