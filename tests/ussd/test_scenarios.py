"""Whole USSD conversations as data (`tests/scenarios/ussd/*.yaml`), replayed against the app
with real Redis and the database, then the database checked.

A scenario is a list of `steps`, each one action and what its reply must be:
- actions: `dial: NAME` (a new session; `phone:` optional), `press: "1"` (typed on the
  current session's screen), `retry: true` (the provider sends the last hop again),
  `hangup: Success|Incomplete|Failed` (AT's end-of-session notification), `jobs: run`;
- checks on the reply: `reply` (all of it), `starts`, `contains: [...]`, `lacks: [...]`,
  `same: true` (the reply before it again);
- `capture: {name: regex}` keeps the regex's groups (joined) from the reply; `{name}` is replaced in
  later steps and checks (e.g. the reference and PIN of a filed report), `{other:name}` by
  digits that differ from it in every place (a surely wrong PIN).
`expect` then checks `intakes` (how many), `case` (the one case; dotted fields), `sessions`
(end records by session name) and `resume` (whether a phone has a report to continue).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from casebridge.models import Case, ChannelSession, Intake
from gateway.ussd.store import resume_key

from .phone import CALLER, Phone, new_session_id

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios" / "ussd").glob("*.yaml"))
ACTIONS = ("dial", "press", "retry", "hangup", "jobs")


def _other(digits: str) -> str:
    """Digits that differ from `digits` in every place (a PIN that is surely wrong)."""
    return "".join(str((int(d) + 1) % 10) if d.isdigit() else d for d in digits)


def _fill(value: Any, found: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, captured in found.items():
            value = value.replace("{" + name + "}", captured)
            value = value.replace("{other:" + name + "}", _other(captured))
        return value
    if isinstance(value, list):
        return [_fill(v, found) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, found) for k, v in value.items()}
    return value


class Replay:
    def __init__(self, name: str, client, jobs, services):
        self.name, self.client, self.jobs, self.services = name, client, jobs, services
        self.sessions: dict[str, Phone] = {}
        self.current: Phone | None = None
        self.found: dict[str, str] = {}

    def step(self, number: int, raw: dict) -> None:
        step = _fill(raw, self.found)
        where = f"{self.name} step {number} {raw!r}"
        actions = [a for a in ACTIONS if a in step]
        assert len(actions) == 1, f"{where}: one action of {ACTIONS} per step"
        before = self.current.reply if self.current else None
        reply = self._act(actions[0], step)
        if reply is None:
            return
        if "reply" in step:
            assert reply == step["reply"], f"{where}\ngot:\n{reply}"
        if "starts" in step:
            assert reply.startswith(step["starts"]), f"{where}\ngot:\n{reply}"
        for part in step.get("contains", ()):
            assert part in reply, f"{where}: {part!r} missing from\n{reply}"
        for part in step.get("lacks", ()):
            assert part not in reply, f"{where}: {part!r} should not be in\n{reply}"
        if step.get("same"):
            assert reply == before, f"{where}\ngot:\n{reply}\nbefore:\n{before}"
        for name, pattern in (step.get("capture") or {}).items():
            match = re.search(pattern, reply)
            assert match, f"{where}: {pattern!r} not in\n{reply}"
            self.found[name] = "".join(match.groups())

    def _act(self, action: str, step: dict) -> str | None:
        if action == "dial":
            name = str(step["dial"])
            phone = Phone(self.client, step.get("phone", CALLER), new_session_id(name))
            self.sessions[name] = self.current = phone
            return phone.dial()
        if action == "press":
            return self.current.press(str(step["press"]))
        if action == "retry":
            return self.current.retry()
        if action == "hangup":
            assert self.current.hang_up(step["hangup"]) == 200
            return None
        self.jobs.run()
        return None

    def expect(self, expected: dict) -> None:
        expected = _fill(expected, self.found)
        with self.services.db.session() as session:
            if "intakes" in expected:
                count = session.scalar(select(func.count()).select_from(Intake))
                assert count == expected["intakes"], f"{self.name}: {count} intakes"
            if "case" in expected:
                case = session.scalars(select(Case)).one()
                for field, value in expected["case"].items():
                    assert _dotted(case, field) == value, f"{self.name}: case.{field}"
            for name, fields in (expected.get("sessions") or {}).items():
                row = session.scalars(
                    select(ChannelSession).where(
                        ChannelSession.session_id == self.sessions[name].session_id
                    )
                ).one()
                for field, value in fields.items():
                    assert getattr(row, field) == value, f"{self.name}: session {name}.{field}"
        for phone, present in (expected.get("resume") or {}).items():
            found = self.services.redis.exists(resume_key(phone))
            assert bool(found) == present, f"{self.name}: resume offer for {phone}"


def _dotted(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path, client, jobs, services, orgs):
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    replay = Replay(path.stem, client, jobs, services)
    for number, step in enumerate(scenario["steps"], 1):
        replay.step(number, step)
    replay.expect(scenario.get("expect") or {})


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 9
