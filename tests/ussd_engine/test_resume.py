"""A dropped session can be continued where the report stopped."""

from ussd_menus.engine import in_report

from .fakes import Session

OFFER = "Ada laporan Anda yang belum selesai. Lanjutkan?\n1. Ya, lanjutkan\n2. Tidak, mulai baru"


def dropped_at_category() -> Session:
    session = Session()
    session.start()
    session.press("1", "2", "4", "Rina", "1", "2")  # …sibling, Rina, female, Taiwan
    assert session.text.startswith("Apa masalahnya?")
    return session


def test_fresh_or_barely_started_states_are_not_offered():
    session = Session()
    session.start()
    assert not in_report(session.state)
    session.press("1", "1")  # only "who" answered
    assert not in_report(session.state)
    assert not in_report({}) and not in_report({"ans": "x"})


def test_dialling_again_offers_to_continue():
    old = dropped_at_category()
    assert in_report(old.state)
    again = Session(ctx=old.ctx)
    assert again.start(resume=old.state).text == OFFER
    assert again.press("1").text.startswith("Apa masalahnya?")
    assert again.state["ans"]["worker_name"] == "Rina"
    assert again.press("0").text.startswith("Negara tempat bekerja")  # the way back is kept
    again.press("1", "1", "Jawa Barat", "Indramayu", "1", "1", "1", "1", "1")
    assert again.screen.end
    assert again.ctx.submitted[0]["relationship"] == "sibling"
    assert again.ctx.submitted[0]["country"] == "MY"


def test_start_over_forgets_the_report():
    old = dropped_at_category()
    again = Session(ctx=old.ctx)
    again.start(resume=old.state)
    assert again.press("2").text.startswith("Layanan Pengaduan")
    assert again.state["ans"] == {}
    assert again.press("1").text.startswith("Siapa yang melapor?")


def test_no_offer_without_an_unfinished_report():
    session = Session()
    assert session.start(resume={"v": 1, "ans": {}}).text.startswith("Layanan Pengaduan")


def test_home_keeps_the_report_resumable():
    session = dropped_at_category()
    session.press("00")
    assert in_report(session.state)
    assert session.press("1").text == OFFER
    assert session.press("1").text.startswith("Apa masalahnya?")


def test_home_then_new_report_starts_from_the_beginning():
    session = dropped_at_category()
    session.press("00", "1")
    assert session.press("2").text.startswith("Siapa yang melapor?")
    assert session.state["ans"] == {}


def test_dropped_on_a_pick_list_resumes_at_the_question():
    session = dropped_at_category()
    session.press("1", "Jawa Barat", "bandung")
    assert session.text.startswith("Maksud Anda:")
    again = Session(ctx=session.ctx)
    again.start(resume=session.state)
    assert again.press("1").text.startswith("Ketik kabupaten/kota asal di Jawa Barat")


def test_a_submitted_report_is_not_offered_again():
    session = dropped_at_category()
    session.press("1", "1", "Jawa Barat", "Indramayu", "1", "1", "1", "1", "1")
    assert session.screen.end
    assert not in_report(session.state)


def test_a_change_from_the_summary_resumes_as_a_change():
    session = dropped_at_category()
    session.press("1", "1", "Jawa Barat", "Indramayu", "1", "1", "1", "1")
    assert session.text.startswith("Periksa:")
    session.press("2", "2", "00")  # change the name… then home
    assert session.press("1", "1").text.startswith("Ketik nama pekerja")
    assert session.press("Rina Wati").text.startswith("Periksa:")
