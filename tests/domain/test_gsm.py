"""GSM 03.38: alphabet checks, segment counts at the boundaries, sanitising free text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebridge import gsm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laporan Anda diterima. No: PMI-1234", True),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r", True),
        ("{}[]~|^\\€", True),
        ("", True),
        ("‘quoted’", False),
        ("“quoted”", False),
        ("Terima kasih 🙏", False),
        ("crêpe", False),
        ("tab\there", False),
        ("\x1b", False),
    ],
)
def test_is_gsm7(text, expected):
    assert gsm.is_gsm7(text) is expected


def test_non_gsm7_lists_each_offending_character_once():
    assert gsm.non_gsm7("it’s “fine” ’ 😀 ok") == ["’", "“", "”", "😀"]
    assert gsm.non_gsm7("plain") == []


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 0), ("abc", 3), ("€", 2), ("{a}", 5), ("\f", 2), ("é", 1)],
)
def test_septets(text, count):
    assert gsm.septets(text) == count


def test_septets_of_non_gsm_text_is_an_error():
    with pytest.raises(ValueError, match="’"):
        gsm.septets("it’s")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("GSM-7", 1)),
        ("a" * 160, ("GSM-7", 1)),
        ("a" * 161, ("GSM-7", 2)),
        ("a" * 306, ("GSM-7", 2)),
        ("a" * 307, ("GSM-7", 3)),
        ("€" * 80, ("GSM-7", 1)),
        ("€" * 81, ("GSM-7", 2)),
        ("a" * 152 + "€" + "a" * 8, ("GSM-7", 2)),
        ("a" * 152 + "€" + "a" * 152, ("GSM-7", 3)),
        ("ê" * 70, ("UCS-2", 1)),
        ("ê" * 71, ("UCS-2", 2)),
        ("ê" * 134, ("UCS-2", 2)),
        ("ê" * 135, ("UCS-2", 3)),
        ("a" * 69 + "’", ("UCS-2", 1)),
        ("a" * 70 + "’", ("UCS-2", 2)),
        ("😀" * 35, ("UCS-2", 1)),
        ("😀" * 36, ("UCS-2", 2)),
        ("a" * 66 + "😀" + "a" * 66, ("UCS-2", 3)),
        ("Halo " + "😀", ("UCS-2", 1)),
        ("a" * 100 + "😀", ("UCS-2", 2)),
    ],
)
def test_segments(text, expected):
    assert gsm.segments(text) == expected


def test_an_emoji_forces_ucs2():
    assert gsm.segments("a" * 60)[0] == "GSM-7"
    assert gsm.segments("a" * 60 + "😀")[0] == "UCS-2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Laporan Anda diterima.", "Laporan Anda diterima."),
        ("‘Hai’ “Bu” Siti", "'Hai' \"Bu\" Siti"),
        ("08.00 – 17.00 — tutup", "08.00 - 17.00 - tutup"),
        ("tunggu…", "tunggu..."),
        ("Rp\u00a0100.000", "Rp 100.000"),
        ("Rp\u202f100.000", "Rp 100.000"),
        ("crêpe façade", "crepe facade"),
        ("café", "café"),
        ("Terima kasih 🙏", "Terima kasih"),
        ("Halo 😀 apa kabar", "Halo apa kabar"),
        ("👍🏽 ok", "ok"),
        ("ok👨‍👩‍👧!", "ok!"),
        ("tab\there", "tab here"),
        ("{x} €5", "{x} €5"),
        ("Ｆｕｌｌ", "Full"),
        ("你好 Siti", "?? Siti"),
    ],
)
def test_to_gsm7(text, expected):
    assert gsm.to_gsm7(text) == expected


@given(st.text(max_size=300))
def test_to_gsm7_always_gives_gsm7(text):
    cleaned = gsm.to_gsm7(text)
    assert gsm.is_gsm7(cleaned)
    assert gsm.to_gsm7(cleaned) == cleaned
    encoding, parts = gsm.segments(cleaned)
    assert encoding == "GSM-7"
    assert parts >= 1


@given(st.text(max_size=400))
def test_segments_hold_the_text(text):
    encoding, parts = gsm.segments(text)
    if encoding == "GSM-7":
        assert gsm.septets(text) <= (160 if parts == 1 else 153 * parts)
    else:
        units = len(text.encode("utf-16-le")) // 2
        assert units <= (70 if parts == 1 else 67 * parts)
