"""Case references: the check digit catches every single wrong digit and neighbour swap."""

import pytest

from casebridge import refs

SAMPLE = [refs.generate() for _ in range(300)] + [
    "00000000",
    "99999994"[:7] + refs.check_digit("9999999"),
]


@pytest.mark.parametrize("ref", SAMPLE[:50])
def test_generated_references_are_valid(ref):
    assert len(ref) == 8 and ref.isdigit()
    assert refs.is_valid(ref)


def test_every_single_digit_error_is_caught():
    for ref in SAMPLE:
        for pos in range(8):
            for digit in "0123456789":
                if digit != ref[pos]:
                    wrong = ref[:pos] + digit + ref[pos + 1 :]
                    assert not refs.is_valid(wrong), (ref, wrong)


def test_every_adjacent_swap_is_caught():
    for ref in SAMPLE:
        for pos in range(7):
            if ref[pos] != ref[pos + 1]:
                swapped = ref[:pos] + ref[pos + 1] + ref[pos] + ref[pos + 2 :]
                assert not refs.is_valid(swapped), (ref, swapped)


@pytest.mark.parametrize(
    "typed, digits",
    [
        ("4821-7730", "48217730"),
        ("4821 7730", "48217730"),
        (" 48217730 ", "48217730"),
        ("4821-773", None),
        ("4821-77301", None),
        ("ABCD-EFGH", None),
        ("", None),
        (None, None),
        ("４８２１７７３０", None),  # full-width digits are not accepted
    ],
)
def test_normalise(typed, digits):
    assert refs.normalise(typed) == digits


def test_format():
    assert refs.format_ref("48217730") == "4821-7730"


def test_references_are_not_sequential():
    made = sorted(int(refs.generate()[:7]) for _ in range(200))
    gaps = {b - a for a, b in zip(made, made[1:], strict=False)}
    assert len(gaps) > 100
