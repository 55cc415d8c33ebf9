"""Checking a report's status: neutral words only, a PIN from another phone."""

from casebridge.refs import format_ref
from ussd_menus.context import CaseStatus

from .fakes import CALLER, OTHER_PHONE, FakeContext, Session, StoredCase, make_ref

OWN = make_ref("4821773")
OTHER = make_ref("1234567")
OWN_SHOWN, OTHER_SHOWN = format_ref(OWN), format_ref(OTHER)


def context() -> FakeContext:
    return FakeContext(
        cases=[
            StoredCase(CaseStatus(OTHER, "accepted", "SBMI Banyuwangi"), CALLER, "4321"),
            StoredCase(CaseStatus(OWN, "in_progress", None), CALLER, "1234"),
        ]
    )


def test_own_cases_most_recent_first():
    session = Session(ctx=context())
    session.start()
    listed = session.press("2")
    assert listed.text == (
        f"Laporan Anda:\n1. {OWN_SHOWN} sedang ditangani\n2. {OTHER_SHOWN} diterima lembaga\n"
        "3. Cek nomor laporan lain\n0. Kembali 00. Menu"
    )
    case = session.press("2")
    assert case.end
    assert case.text == (
        f"Laporan {OTHER_SHOWN}\nStatus: diterima lembaga\nLembaga: SBMI Banyuwangi"
    )


def test_status_never_names_the_problem():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "1", "1", "12")  # trafficking
    session.press("Jawa Timur", "Banyuwangi", "1", "1", "1", "1", "1")
    session.start()
    session.press("2")
    listed = session.text
    case = session.press("1").text
    for text in (listed, case):
        assert "TPPO" not in text and "Perdagangan" not in text


def test_reference_from_own_phone_needs_no_pin():
    ctx = FakeContext(cases=[StoredCase(CaseStatus(OWN, "new", None), CALLER, "1234")])
    session = Session(ctx=ctx, phone=CALLER)
    session.start()
    ctx.cases[0].phone = "+620000"  # not listed for this phone, but…
    session.press("2")
    assert session.text.startswith("Ketik nomor laporan")  # empty list: straight to the question
    ctx.cases[0].phone = CALLER
    case = session.press(f"{OWN[:4]} {OWN[4:]}")
    assert case.end and OWN_SHOWN in case.text and "Lembaga sedang dipilih." in case.text
    assert ctx.lookups == [(OWN, None, CALLER)]


def test_reference_and_pin_from_another_phone():
    session = Session(ctx=context(), phone=OTHER_PHONE)
    session.start()
    asked = session.press("2", OTHER_SHOWN)
    assert asked.text.startswith("Ketik PIN laporan ini")
    case = session.press("4321")
    assert case.end and "SBMI Banyuwangi" in case.text
    assert session.ctx.lookups == [(OTHER, None, OTHER_PHONE), (OTHER, "4321", OTHER_PHONE)]


def test_wrong_pin_and_unknown_reference_look_the_same():
    wrong_pin = Session(ctx=context(), phone=OTHER_PHONE)
    wrong_pin.start()
    wrong_pin.press("2", OTHER)
    first = wrong_pin.press("9999")
    unknown = Session(ctx=context(), phone=OTHER_PHONE)
    unknown.start()
    asked = unknown.press("2", make_ref("7777777"))
    assert asked.text.startswith("Ketik PIN laporan ini")
    second = unknown.press("4321")
    assert first == second
    assert not first.end and first.text.startswith(
        "Nomor atau PIN tidak cocok. Ketik nomor laporan"
    )


def test_bad_check_digit_is_caught_without_asking():
    session = Session(ctx=context(), phone=OTHER_PHONE)
    session.start()
    wrong = OTHER[:-1] + str((int(OTHER[-1]) + 1) % 10)
    again = session.press("2", wrong)
    assert again.text.startswith("Periksa nomornya. Ketik nomor laporan")
    assert session.press("12345").text.startswith("Periksa nomornya.")
    assert session.ctx.lookups == []


def test_too_many_tries_is_locked():
    session = Session(ctx=FakeContext(locked=True), phone=OTHER_PHONE)
    session.start()
    locked = session.press("2", OTHER)
    assert locked.end and locked.text.startswith("Terlalu banyak percobaan")


def test_pin_must_be_four_digits():
    session = Session(ctx=context(), phone=OTHER_PHONE)
    session.start()
    session.press("2", OTHER)
    assert session.press("12").text.startswith("PIN 4 angka. Ketik PIN")
    assert session.press("0").text.startswith("Ketik nomor laporan")
