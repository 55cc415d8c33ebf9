"""The scenario runner itself, with a driver that echoes what it is sent: every check it is
given is made (a wrong one fails), and a step it cannot read is refused, not skipped."""

from __future__ import annotations

import pytest
import yaml

from .runner import Driver, replay
from .values import Values


class Echo(Driver):
    """`say_back: text` is answered with the text; `nothing: true` with no reply."""

    actions = ("say_back", "nothing")

    def act(self, action: str, arg):
        return arg if action == "say_back" else None


def _replay(tmp_path, steps: list[dict]) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({"steps": steps}), encoding="utf-8")
    replay(path, Echo(), services=None)


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("{ref}", "4821-7739"),
        ("{digits:ref}", "48217739"),
        ("{each:ref}", "4 8 2 1 7 7 3 9"),
        ("{spelled:ref}", "4 8 2 1, 7 7 3 9"),
        ("{typo:ref}", "58217739"),
        ("{other:pin}", "2390"),
        ("PIN {pin}, no: \\d{4}", "PIN 1289, no: \\d{4}"),
    ],
)
def test_placeholders_and_their_filters(text, filled):
    assert Values(ref="4821-7739", pin="1289").fill(text) == filled


@pytest.mark.parametrize("text", ["{pin}", "{reversed:ref}"])
def test_an_unknown_placeholder_is_an_error(text):
    with pytest.raises(AssertionError, match="not known|no filter"):
        Values(ref="4821-7739").fill(text)


def test_captured_values_fill_later_steps(tmp_path):
    _replay(
        tmp_path,
        [
            {"say_back": "Nomor: 4821-7739", "expect": {"capture": {"ref": r"(\d{4}-\d{4})"}}},
            {"say_back": "{digits:ref}", "expect": {"reply": "48217739"}},
            {"say_back": "48217739", "expect": {"same": True, "contains": ["482", "739"]}},
        ],
    )


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"say_back": "CON Menu", "expect": {"reply": "CON Menu "}}, "got"),
        ({"say_back": "CON Menu", "expect": {"starts": "END"}}, "got"),
        ({"say_back": "a b c", "expect": {"contains": ["c", "a"]}}, "missing"),
        ({"say_back": "a b c", "expect": {"lacks": ["b"]}}, "should not be"),
        ({"say_back": "a b c", "expect": {"capture": {"x": r"(\d)"}}}, "not in"),
        ({"say_back": "a", "expect": {"says": ["a"]}}, "unknown"),
        ({"say_back": "a", "shout": True}, "unknown keys"),
        ({"say_back": "a", "nothing": True}, "one action"),
        ({"nothing": True, "expect": {"reply": ""}}, "no reply"),
        ({"say_back": "a", "after": 30}, "no clock"),
        ({"say_back": "a", "sent": []}, "does not watch"),
    ],
)
def test_a_wrong_or_unreadable_step_fails(tmp_path, step, message):
    with pytest.raises(AssertionError, match=message):
        _replay(tmp_path, [step])
