"""The one replay of a scenario file (`tests/scenarios/<channel>/*.yaml`) through a channel's
driver; a new channel brings its scenario files and a `Driver`, nothing more.

A scenario is `steps:` and then `db:` (what the database holds at the end, see `db.py`);
`name:` says what it shows, and a driver may know more keys (voice: `provider`, `caller`...).
Each step holds, all optional:
- `say:` what the step shows (named when it fails);
- `after:` seconds the clock moves first (drivers with a clock move it `clock_step` anyway);
- the driver's set-up keys (`fail_next`, `refuse`), then at most one of its actions (`dial`,
  `press`, `sms`, `record`...): the driver sends it and reads the reply;
- `expect:` checks on that reply: the text checks of `texts.py`, and the driver's own keys
  (`status`, `verbs`, `plays`...);
- `sent:` for drivers that watch the providers: every SMS sent during the step, nothing else;
  each one picked by `to` (and `from`, `via`), then the text checks on it;
- the driver's own checks (`resume`, `healthz`, `calls_placed`...), then `db:`.
Strings hold placeholders (`{ref}`, `{digits:ref}`, see `values.py`) of values captured by an
earlier check, or given by the driver. `SCENARIO_ECHO=1 pytest -s` prints every reply and SMS.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml

from . import db, texts
from .values import Values

FOLDER = Path(__file__).resolve().parent
START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
"""Where the clock stands when a scenario of a driver with a clock begins."""
STEP_KEYS = ("say", "after", "expect", "sent", "db")


def files(channel: str) -> list:
    """The scenario files of `channel`, as pytest parameters named after them."""
    paths = sorted((FOLDER / channel).glob("*.yaml"))
    return [pytest.param(path, id=path.stem) for path in paths]


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class Driver:
    """What a channel knows: how to send a step and read the reply, and its own checks."""

    actions: tuple[str, ...] = ()
    setups: tuple[str, ...] = ()
    """Step keys done before the action (program a fake provider...)."""
    reply_checks: tuple[str, ...] = ()
    """Keys of `expect:` beyond the text checks."""
    checks: tuple[str, ...] = ()
    """Step keys checked after the step."""
    scenario_keys: tuple[str, ...] = ()
    clock_step: int | None = None
    """Seconds the clock moves before each step; None: the real clock, no `after:`."""
    default_via: str | None = None
    """The provider an SMS of `sent:` went through unless it says `via`."""

    def __init__(self) -> None:
        self.sessions: dict[str, str] = {}
        """Session names of the scenario -> `ChannelSession.session_id`."""

    def begin(self, scenario: dict) -> dict[str, str]:
        """Before the first step; returns the values known from the start."""
        return {}

    def setup(self, key: str, arg: Any) -> None:
        raise AssertionError(f"no set-up {key!r}")

    def act(self, action: str, arg: Any) -> Any:
        """Send the action; returns the reply, or None when there is none to check."""
        raise NotImplementedError

    def text(self, reply: Any) -> str:
        return reply

    def check_reply(self, reply: Any, expect: dict, where: str) -> None:
        """The driver's own checks of a reply (`expect` holds only `reply_checks` keys)."""

    def learned(self) -> dict[str, str]:
        """Values learned from the app after the action (a reference looked up...)."""
        return {}

    def settle(self) -> list[dict] | None:
        """After the action: SMS sent since the last step (`to`, `from`, `via`, `text`), or
        None when this driver does not watch them."""
        return None

    def check(self, key: str, arg: Any, where: str) -> None:
        raise AssertionError(f"no check {key!r}")


class Replay:
    def __init__(self, name: str, driver: Driver, services):
        self.name, self.driver, self.services = name, driver, services
        self.values = Values()
        self.last: Any = None
        """The reply before, for `same:`."""
        self.where = name

    def run(self, scenario: dict) -> None:
        known = {"name", "steps", "db", *self.driver.scenario_keys}
        unknown = set(scenario) - known
        assert not unknown, f"{self.name}: unknown keys {sorted(unknown)} (known: {sorted(known)})"
        self.values.update(self.driver.begin(scenario))
        clock = self.driver.clock_step is not None
        travel = time_machine.travel(START, tick=True) if clock else contextlib.nullcontext()
        with travel as traveller:
            for number, step in enumerate(scenario["steps"], start=1):
                self.where = f"{self.name} step {number}" + (
                    f" ({step['say']})" if "say" in step else ""
                )
                if clock:
                    traveller.shift(step.get("after", self.driver.clock_step))
                else:
                    assert "after" not in step, f"{self.where}: this channel has no clock"
                self.step(step)
        self.where = f"{self.name} at the end"
        end = self.values.fill(scenario.get("db") or {})
        db.check(self.services, end, self.sessions, self.where)

    @property
    def sessions(self) -> dict[str, str]:
        return self.driver.sessions

    def step(self, step: dict) -> None:
        driver = self.driver
        known = {*STEP_KEYS, *driver.actions, *driver.setups, *driver.checks}
        unknown = set(step) - known
        assert not unknown, f"{self.where}: unknown keys {sorted(unknown)} (known: {sorted(known)})"
        actions = [key for key in step if key in driver.actions]
        assert len(actions) <= 1, f"{self.where}: one action per step, not {actions}"
        for key in driver.setups:
            if key in step:
                driver.setup(key, self.values.fill(step[key]))
        reply = driver.act(actions[0], self.values.fill(step[actions[0]])) if actions else None
        self.values.update(driver.learned())
        expect = step.get("expect") or {}
        if reply is None:
            assert not expect, f"{self.where}: {actions or 'no action'} has no reply to expect"
        else:
            self.check_reply(reply, expect)
        sent = driver.settle()
        if sent is None:
            assert "sent" not in step, f"{self.where}: this channel does not watch SMS"
        else:
            self.check_sent(sent, step.get("sent") or [])
        for key in driver.checks:
            if key in step:
                driver.check(key, self.values.fill(step[key]), self.where)
        if "db" in step:
            db.check(self.services, self.values.fill(step["db"]), self.sessions, self.where)

    def check_reply(self, reply: Any, expect: dict) -> None:
        known = {*texts.KEYS, *self.driver.reply_checks}
        unknown = set(expect) - known
        assert not unknown, f"{self.where}: unknown {sorted(unknown)} (known: {sorted(known)})"
        own = {k: v for k, v in expect.items() if k in self.driver.reply_checks}
        self.driver.check_reply(reply, self.values.fill(own), self.where)
        wanted = {k: v for k, v in expect.items() if k in texts.KEYS}
        previous, self.last = self.last, reply
        if os.environ.get("SCENARIO_ECHO"):  # SCENARIO_ECHO=1 pytest -s: see the conversation
            print(f"\n-- {self.where}\n{self.driver.text(reply)}")
        if wanted:
            same = wanted.get("same") and previous is not None
            before = self.driver.text(previous) if same else None
            text = self.driver.text(reply)
            self.values.update(texts.check(text, self.values.fill(wanted), self.where, before))

    def check_sent(self, sent: list[dict], expected: list[dict]) -> None:
        if os.environ.get("SCENARIO_ECHO"):
            for m in sent:
                print(f"   {m['via']} {m['from'] or '-'} -> {m['to']}: {m['text']!r}")
        left = list(sent)
        for want in expected:
            want = self.values.fill(want)  # a value captured from an SMS before it counts too
            via = want.get("via", self.driver.default_via)
            match = next(
                (
                    m
                    for m in left
                    if m["to"] == want["to"]
                    and m["via"] == via
                    and ("from" not in want or m["from"] == want["from"])
                    and texts.holds_in_order(m["text"], want.get("contains"))
                ),
                None,
            )
            assert match is not None, f"{self.where}: no SMS like {want}; got {sent}"
            left.remove(match)
            checks = {k: v for k, v in want.items() if k not in ("to", "from", "via")}
            unknown = set(checks) - set(texts.KEYS)
            assert not unknown, f"{self.where}: unknown keys {sorted(unknown)} of a sent SMS"
            where = f"{self.where}: SMS to {want['to']}"
            self.values.update(texts.check(match["text"], checks, where))
        assert not left, f"{self.where}: unexpected SMS {left}"


def replay(path: Path, driver: Driver, services) -> None:
    """Replay the scenario at `path` through `driver`, checking every step and the end."""
    Replay(path.stem, driver, services).run(load(path))
