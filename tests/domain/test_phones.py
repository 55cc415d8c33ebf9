"""Phone numbers: typed forms to E.164, validity, mobile check, masking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebridge import phones

E164 = "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "081234567890",
        "0812 3456 7890",
        "+62 812-3456-7890",
        "+62812 3456 7890",
        "6281234567890",
        "0062 812 3456 7890",
        "0062-812-3456-7890",
        "+62 0812 3456 7890",
        " 081234567890 ",
    ],
)
def test_normalise_indonesian_mobile(typed):
    assert phones.normalise(typed) == E164


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("(021) 5551234", "+62215551234"),
        ("+852 9123 4567", "+85291234567"),
        ("+60 12-345 6789", "+60123456789"),
    ],
)
def test_normalise_other_numbers(typed, expected):
    assert phones.normalise(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "   ", "abc", "0812", "+628123456", "0812345678901234567", "0841234567890"]
)
def test_normalise_rejects_invalid_numbers(typed):
    assert phones.normalise(typed) is None


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("+6281234567890", E164),
        ("081234567890", E164),
        ("6281234567890", E164),
        ("0062 812 3456 7890", E164),
        ("+85291234567", "+85291234567"),
        ("0016505551212", "+16505551212"),
        ("6505551212", "6505551212"),  # no country in the form: kept as reported, not +62…
        ("85291234567", "85291234567"),
        (" 8123456789 ", "8123456789"),
        ("0812", None),  # a national form that is not a valid number
        ("+628123456", None),
        ("62650555", None),
        ("TELKOMSEL", None),
        ("3636", None),  # an operator's short code
        ("12", None),
        ("٦٥٠٥٥٥١٢١٢", None),  # digits, but not ASCII ones
        ("", None),
    ],
)
def test_normalise_sender(reported, expected):
    """A sender as reported: E.164 when its form names the country, else exactly as reported."""
    assert phones.normalise_sender(reported) == expected


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("012-345 6789", "MY", "+60123456789"),
        ("+60 12 345 6789", "my", "+60123456789"),
        ("0912 345 678", "TW", "+886912345678"),
        ("9123 4567", "HK", "+85291234567"),
        ("050 123 4567", "SA", "+966501234567"),
        ("0812-3456-7890", "MY", None),
        ("+6281234567890", "HK", None),
        ("9123 4567", "ZZ", None),
        ("", "MY", None),
    ],
)
def test_normalise_for_country(typed, country, expected):
    assert phones.normalise_for_country(typed, country) == expected


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        (E164, True),
        ("+85291234567", True),
        ("+62215551234", False),
        ("+628123456", False),
        ("not a number", False),
    ],
)
def test_is_mobile(number, mobile):
    assert phones.is_mobile(number) is mobile


@pytest.mark.parametrize(
    ("number", "expected"),
    [(E164, "ID"), ("+85291234567", "HK"), ("+60123456789", "MY"), ("+999", None), ("x", None)],
)
def test_region(number, expected):
    assert phones.region(number) == expected


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (E164, "+62812****7890"),
        ("+628123456789", "+62812***6789"),
        ("+85291234567", "+85291**4567"),
        ("", ""),
        ("garbage", "*****ge"),
    ],
)
def test_mask(number, masked):
    assert phones.mask(number) == masked


@given(st.from_regex(r"\+62 ?8[1-35-9][0-9]{7,10}", fullmatch=True))
def test_mask_never_reveals_the_middle_digits(typed):
    number = phones.normalise(typed)
    if number is None:
        return
    masked = phones.mask(number)
    national = number[3:]
    assert masked.startswith("+62" + national[:3])
    assert masked.endswith(national[-4:])
    assert set(masked[6:-4]) == {"*"}
    assert len(masked) == len(number)


@given(st.text(max_size=40))
def test_phone_functions_never_raise(text):
    result = phones.normalise(text)
    assert result is None or result.startswith("+")
    phones.normalise_for_country(text, "MY")
    phones.is_mobile(text)
    phones.region(text)
    masked = phones.mask(text)
    assert len(masked) == len(text.strip()) or masked.startswith("+")


@given(
    st.sampled_from(sorted(phones.PLAIN_CODES)),
    st.from_regex(r"[0-9]{4,12}", fullmatch=True),
)
def test_masking_without_a_full_parse_matches_libphonenumber(code, national):
    """`mask` splits the numbers of `PLAIN_CODES` itself: as libphonenumber would."""
    import phonenumbers

    number = f"+{code}{national}"
    parsed = phonenumbers.parse(number, None)
    full = phonenumbers.national_significant_number(parsed)
    expected = f"+{parsed.country_code}{phones._hide_middle(full)}"
    assert phones.mask(number) == expected
