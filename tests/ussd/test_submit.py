"""A whole report through `POST /ussd/africastalking`: the END screen carries a valid
reference, a routed case with every answer exists within seconds, a status lookup shows it,
and however the last hop is retried there is one intake."""

from __future__ import annotations

import re
import threading
import time

from sqlalchemy import func, select

from casebridge import audit, pins, refs
from casebridge.models import Case, CaseEvent, Intake
from tests.conftest import phone_index

from .phone import CALLER, OTHER_PHONE, Phone

REPORT = ["1", "2", "2", "Siti Rahayu", "1", "1", "2", "Jawa Timur", "Banyuwangi"]
REPORT += ["0123456789", "Gaji 4 bulan belum dibayar", "2", "1", "1"]  # SBMI-BWI, SMS safe
DONE = re.compile(
    r"END Laporan terkirim\.\nNomor: (\d{4}-\d{4})\nPIN: (\d{4})\n"
    r"Ditangani oleh (.+)\.\nSimpan nomor dan PIN ini untuk cek status\."
)


def _done(reply: str) -> tuple[str, str, str]:
    match = DONE.fullmatch(reply)
    assert match, reply
    return match.group(1), match.group(2), match.group(3)


def _count(services, model) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_whole_report_becomes_a_routed_case_within_seconds(dial, services, jobs):
    phone = dial()
    phone.press(*REPORT)
    began = time.monotonic()
    shown, pin, org = _done(phone.press("1"))
    digits = refs.normalise(shown)
    assert digits and refs.is_valid(digits) and refs.format_ref(digits) == shown
    assert org == "SBMI Banyuwangi"
    jobs.run()
    assert time.monotonic() - began < 5
    with services.db.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.reference == digits
        assert pins.verify(pin, case.pin_hash, services.settings.secret_key)
        assert (case.status, case.channel, case.category) == ("assigned", "ussd", "unpaid_wages")
        assert case.organisation.code == "SBMI-BWI"
        assert case.relationship_ == "parent" and case.language == "id"
        assert case.description == "Gaji 4 bulan belum dibayar"
        worker = case.worker
        assert (worker.name, worker.gender, worker.country) == ("Siti Rahayu", "female", "MY")
        assert (worker.province, worker.regency) == ("ID-JI", "Kabupaten Banyuwangi")
        assert (worker.regency_code, worker.phone) == ("3510", "+60123456789")
        assert case.reporter.phone == CALLER and case.reporter.sms_safe is True
        intake = session.scalars(select(Intake)).one()
        assert (
            intake.idempotency_key
            == f"ussd:africastalking:{phone_index(CALLER)}:{phone.session_id}"
        )
    status = dial()
    status.press("2")
    assert status.press("1") == (
        f"END Laporan {shown}\nStatus: diteruskan ke lembaga\nLembaga: SBMI Banyuwangi"
    )


def test_concurrent_retries_of_the_last_hop_make_one_intake(client, orgs, services):
    phone = Phone(client)
    phone.dial()
    phone.press(*REPORT)
    phone.text += "*1"
    replies: list[str] = []

    def send() -> None:
        replies.append(Phone.post(_copy(phone, client.application.test_client())))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(replies)) == 1, replies
    _done(replies[0])
    assert _count(services, Intake) == 1


def _copy(phone: Phone, client) -> Phone:
    twin = Phone(client, phone.phone, phone.session_id)
    twin.text = phone.text
    return twin


def test_report_nobody_covers_says_the_service_will_choose(dial, services, jobs):
    phone = dial()
    phone.press("1", "1", "Wati", "1", "12", "Jerman", "98", "98", "16", "Papua", "Jayapura")
    phone.press("1", "1", "1", "1", "1")  # Kabupaten Jayapura; no phone, no story
    assert phone.reply.startswith("CON Periksa:\nWati, Perempuan\nJerman: Lainnya\n")
    reply = phone.press("1")
    assert re.fullmatch(
        r"END Laporan terkirim\.\nNomor: \d{4}-\d{4}\nPIN: \d{4}\n"
        r"Layanan akan memilih lembaga yang menangani\.\n"
        r"Simpan nomor dan PIN ini untuk cek status\.",
        reply,
    ), reply
    jobs.run()
    with services.db.session() as session:
        assert session.scalars(select(Case)).one().organisation.code == "KOORD"
    status = dial()
    status.press("2")
    assert status.press("1").endswith("\nStatus: diteruskan ke lembaga\nLembaga sedang dipilih.")


def test_end_screen_names_who_routing_takes_not_a_choice_it_refuses(dial, services, jobs):
    """Solidaritas Migran Malaysia was chosen, then the country changed to Taiwan, which it
    does not cover: routing takes the best match, and the END screen says so."""
    phone = dial()
    phone.press("1", "1", "Wati", "1", "1", "2", "Jawa Timur", "Banyuwangi", "1", "1", "2", "3")
    phone.press("1", "2", "4", "2")
    assert "Lembaga: Solidaritas Migran Malaysia\n" in phone.reply
    assert _done(phone.press("1"))[2] == "SBMI Banyuwangi"
    jobs.run()
    with services.db.session() as session:
        assert session.scalars(select(Case)).one().organisation.code == "SBMI-BWI"


def test_cancelled_report_stores_nothing(dial, services):
    phone = dial()
    phone.press(*REPORT)
    assert phone.press("3") == "END Laporan dibatalkan, tidak ada yang disimpan. Terima kasih."
    assert _count(services, Intake) == 0


def test_a_session_id_sent_again_from_another_phone_is_a_new_session(client, dial, services):
    """Another phone posting a finished session's id gets its own session and its own
    report, never the first one's END screen with its reference and PIN."""
    first = dial()
    first.press(*REPORT)
    shown, pin, _org = _done(first.press("1"))
    other = Phone(client, OTHER_PHONE, first.session_id)
    assert other.retry().startswith("CON Layanan Pengaduan Pekerja Migran\n")  # not the END
    assert first.hang_up("Success") == 200
    other.dial()
    other.press(*REPORT)
    again, again_pin, _org = _done(other.press("1"))
    assert again != shown and f"PIN: {pin}" not in other.reply
    assert _count(services, Intake) == 2
    with services.db.session() as session:
        keys = set(session.scalars(select(Intake.idempotency_key)))
    assert keys == {
        f"ussd:africastalking:{phone_index(p)}:{first.session_id}" for p in (CALLER, OTHER_PHONE)
    }


def test_every_status_lookup_by_ussd_is_audited(dial, services, jobs):
    first = dial()
    first.press(*REPORT)
    shown, pin, _org = _done(first.press("1"))
    jobs.run()
    dial().press("2")  # the reporter's own cases
    other = dial(phone=OTHER_PHONE)
    other.press("2", shown, f"{(int(pin) + 1) % 10000:04d}")
    assert other.reply.startswith("CON Nomor atau PIN tidak cocok.")
    assert other.press(shown, pin).startswith(f"END Laporan {shown}\n")
    with services.db.session() as session:
        trail = [
            (e.kind, e.actor, e.data["outcome"])
            for e in session.scalars(
                select(CaseEvent)
                .where(CaseEvent.kind.in_(audit.AUDIT_KINDS))
                .order_by(CaseEvent.id)
            )
        ]
    assert trail == [
        (audit.READ, "reporter:ussd", audit.OWN_PHONE),
        (audit.PIN_REFUSED, "pin:ussd", audit.WRONG_PIN),
        (audit.READ, "pin:ussd", audit.RIGHT_PIN),
    ]


def test_a_nul_typed_in_a_description_is_left_out_and_the_case_is_filed(dial, services, jobs):
    phone = dial()
    answers = [*REPORT]
    answers[3], answers[10] = "Siti\u0000 Rahayu", "Gaji\u0000 4 bulan\x1b belum dibayar"
    phone.press(*answers)
    _done(phone.press("1"))
    jobs.run()
    with services.db.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.description == "Gaji 4 bulan belum dibayar"
        assert case.worker.name == "Siti Rahayu"
