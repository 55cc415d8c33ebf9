"""Filing a report through the menus, in both languages."""

import json

import pytest

from ussd_menus.menu import load

from .fakes import ORGS, FakeContext, Session

TEXTS = load().texts


def report(session: Session, *, phone_abroad: str = "0123456789") -> None:
    """A family member reports unpaid wages of a worker in Malaysia from Banyuwangi."""
    session.start()
    session.press("1", "2", "2", "Siti*Rahayu", "1", "1", "2")  # report, family, parent…
    session.press("Jawa Timur", "Banyuwangi", phone_abroad, "Gaji 4 bulan belum dibayar")
    session.press("2", "1", "1")  # choose the organisation, the first one; SMS is safe


EXPECTED = {
    "relationship": "parent",
    "worker_name": "Siti*Rahayu",
    "gender": "female",
    "country": "MY",
    "category": "unpaid_wages",
    "province": "ID-JI",
    "regency": "Kabupaten Banyuwangi",
    "regency_code": "3510",
    "worker_phone": "+60123456789",
    "description": "Gaji 4 bulan belum dibayar",
    "organisation": "SBMI-BWI",
    "sms_safe": True,
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_full_report_lands_every_answer(lang):
    session = Session(lang=lang)
    report(session)
    assert session.text.startswith(TEXTS[lang]["summary"]["text"].split("\n")[0])
    assert "Siti*Rahayu" in session.text and "Kab. Banyuwangi" in session.text
    done = session.press("1")
    assert done.end
    assert session.ctx.submitted == [EXPECTED]
    reference = session.ctx.cases[0].status.reference
    assert f"{reference[:4]}-{reference[4:]}" in done.text
    assert "1234" in done.text and "SBMI Banyuwangi" in done.text
    assert not engine_in_report(session)
    assert "pin" not in json.dumps(session.state)  # the PIN is shown once, never kept


def engine_in_report(session: Session) -> bool:
    from ussd_menus.engine import in_report

    return in_report(session.state)


def test_exact_screens_in_indonesian():
    session = Session()
    assert session.start().text == (
        "Layanan Pengaduan Pekerja Migran\n1. Lapor masalah\n2. Cek status laporan\n"
        "3. Informasi\n4. Bahasa/Language"
    )
    assert session.press("1").text == (
        "Siapa yang melapor?\n1. Saya sendiri (pekerja)\n2. Keluarga pekerja\n0. Kembali 00. Menu"
    )
    report(session)
    done = session.press("1")
    assert done.text == (
        "Laporan terkirim.\nNomor: 4821-7747\nPIN: 1234\nDitangani oleh SBMI Banyuwangi.\n"
        "Simpan nomor dan PIN ini untuk cek status."
    )


def test_service_chooses_and_no_sms():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "3", "Taiwan", "1", "ntb", "lombok timur", "1", "1")
    session.press("1", "2")  # the service chooses; SMS is not safe
    assert "Lembaga: dipilihkan" in session.text and "SMS: tidak" in session.text
    done = session.press("1")
    answers = session.ctx.submitted[0]
    assert answers["relationship"] == "self" and answers["gender"] == "unspecified"
    assert answers["country"] == "TW" and answers["category"] == "repatriation"
    assert answers["province"] == "ID-NB" and answers["regency"] == "Kabupaten Lombok Timur"
    assert answers["sms_safe"] is False
    assert "organisation" not in answers and "worker_phone" not in answers
    assert "description" not in answers
    assert "Layanan akan memilih" in done.text
    assert "tidak akan mengirim SMS" in done.text


def test_back_keeps_answers_and_home_goes_to_main():
    session = Session()
    session.start()
    session.press("1", "2", "3", "Budi")
    assert session.text.startswith("Jenis kelamin")
    assert session.press("0").text.startswith("Ketik nama pekerja")
    assert session.press("0").text.startswith("Hubungan Anda")
    assert session.state["ans"]["worker_name"] == "Budi"
    assert session.press("0").text.startswith("Siapa yang melapor")
    assert session.press("00").text.startswith("Layanan Pengaduan")
    assert session.state["ans"]["relationship"] == "child"


def test_wrong_entry_repeats_the_question_with_a_hint():
    session = Session()
    session.start()
    session.press("1")
    again = session.press("7")
    assert not again.end
    assert again.text.startswith("Pilihan salah. Siapa yang melapor?")
    assert session.press("x").text.startswith("Pilihan salah. ")
    session.press("1")
    assert session.press("").text.startswith("Nama belum benar. Ketik nama pekerja")
    assert session.press("1234").text.startswith("Nama belum benar.")


def test_categories_page_with_98_and_wrap():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "1", "1")
    first = session.text
    assert first.startswith("Apa masalahnya?\n1. Ingin dipulangkan\n2. Gaji tidak dibayar")
    assert "98. Lagi" in first
    seen = [first]
    while True:
        page = session.press("98").text
        if page == first:
            break
        seen.append(page)
    listed = "\n".join(seen)
    for n in range(1, 17):
        assert f"\n{n}. " in listed
    assert "98. Lagi" not in seen[-1]
    session.press("98")  # page two
    session.press("16")  # "other", typed from any page
    assert session.state["ans"]["category"] == "other"


def test_countries_typed_and_other():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "1")
    assert session.press("hongkong").text.startswith("Apa masalahnya?")
    assert session.state["ans"]["country"] == "HK"
    session.press("0", "12")  # "other country"
    assert session.text.startswith("Ketik nama negara")
    assert session.press("Atlantis").text.startswith("Negara tidak dikenal.")
    session.press("Italia")
    assert session.state["ans"]["country"] == "IT"


def test_places_offer_close_matches():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "1", "1", "1")
    assert session.press("Malang").text.startswith("Tidak ditemukan. Ketik provinsi")
    session.press("Jawa Timur")
    pick = session.press("Malang")
    assert "Kabupaten Malang" in pick.text and "Kota Malang" in pick.text
    number = next(
        line.split(".")[0] for line in pick.text.split("\n") if line.endswith("Kota Malang")
    )
    session.press(number)
    assert session.state["ans"]["regency"] == "Kota Malang"
    assert session.text.startswith("Ketik nomor HP pekerja di Malaysia")
    assert session.press("0").text.startswith("Ketik kabupaten/kota asal di Jawa Timur")
    assert session.press("zzzzqqq").text.startswith("Tidak ditemukan.")


def test_phone_abroad_is_validated_for_the_country():
    session = Session()
    session.start()
    session.press("1", "1", "Wati", "1", "1", "1", "Jawa Timur", "Banyuwangi")
    assert session.press("081234567890").text.startswith("Nomor tidak valid.")
    session.press("+60 12-345 6789")
    assert session.state["ans"]["worker_phone"] == "+60123456789"


def test_change_from_the_summary_comes_back_to_it():
    session = Session()
    report(session)
    session.press("2")
    assert session.text.startswith("Ubah yang mana?")
    session.press("2", "Siti Aminah")
    assert session.text.startswith("Periksa:") and "Siti Aminah" in session.text
    session.press("2", "6", "Jawa Tengah")  # a new province asks for the regency again
    assert session.text.startswith("Ketik kabupaten/kota asal di Jawa Tengah")
    session.press("Cilacap")
    assert session.text.startswith("Periksa:") and "Kab. Cilacap" in session.text
    session.press("2", "1", "1")  # now the worker reports
    assert session.text.startswith("Periksa:")
    session.press("1")
    answers = session.ctx.submitted[0]
    assert answers["worker_name"] == "Siti Aminah" and answers["relationship"] == "self"
    assert answers["province"] == "ID-JT" and answers["regency"] == "Kabupaten Cilacap"


def test_cancel_saves_nothing():
    session = Session()
    report(session)
    cancelled = session.press("3")
    assert cancelled.end and "dibatalkan" in cancelled.text
    assert session.ctx.submitted == []


def test_submit_failure_keeps_the_report():
    session = Session(ctx=FakeContext(fail_submits=1))
    report(session)
    failed = session.press("1")
    assert not failed.end and failed.text.startswith("Maaf, laporan belum terkirim")
    assert session.state["ans"]["worker_name"] == "Siti*Rahayu"
    assert session.press("1").end
    assert session.ctx.submitted == [EXPECTED]


def test_no_selectable_organisation_lets_the_service_choose():
    session = Session(ctx=FakeContext(orgs=[]))
    session.start()
    session.press("1", "1", "Wati", "1", "1", "1", "Jawa Timur", "Banyuwangi", "1", "1")
    skipped = session.press("2")
    assert skipped.text.startswith("Belum ada lembaga yang bisa dipilih.")
    assert "Amankah kami kirim SMS" in skipped.text


def test_language_switches_at_once_and_is_remembered():
    session = Session()
    session.start()
    english = session.press("4", "2")
    assert english.text.startswith("Migrant Worker Complaint Service")
    assert session.ctx.languages == {session.phone: "en"}
    assert session.press("1").text.startswith("Who is reporting?")


def test_information_pages():
    session = Session()
    session.start()
    session.press("3", "2")
    first = session.text
    assert "98. Lagi" in first and "P3MI" in session.press("98").text
    session.press("98", "98")
    assert "98. Lagi" not in session.text
    assert session.press("98").text == first  # wraps
    hotlines = session.press("0", "3")
    assert hotlines.end and "0800-1000" in hotlines.text and "1500630" in hotlines.text
    assert "1708" in hotlines.text


def test_orgs_offered_are_the_contexts():
    session = Session()
    report(session)
    assert ORGS[0][1] in session.text
