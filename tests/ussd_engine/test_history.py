"""The newest input of a hop, from Africa's Talking's cumulative `text`."""

import pytest

from ussd_menus.history import new_input


@pytest.mark.parametrize(
    ("previous", "text", "expected"),
    [
        ("", "1", "1"),
        ("1", "1*2", "2"),
        ("1*2", "1*2*Siti*Rahayu", "Siti*Rahayu"),
        ("", "Siti*Rahayu", "Siti*Rahayu"),
        ("1*2*Siti*Rahayu", "1*2*Siti*Rahayu*0", "0"),
        ("1*2", "1*2*00", "00"),
        ("1*2", "1*2*", ""),
        ("1*2", "1*2", None),  # a provider retry of the same hop
        ("", "", None),
        ("1*2", "3", "3"),  # does not extend the previous text: last part
        ("1*2", "9*8*7", "7"),
        ("1*2", "1*23", "23"),  # "1*2" + "3" is not "1*2*…"
        (None, "1*2", "2"),  # no previous hop known
        (None, "", ""),
    ],
)
def test_new_input(previous, text, expected):
    assert new_input(previous, text) == expected
