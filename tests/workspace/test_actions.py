"""The case's actions on the web: each is a timeline event under the person's name, the
status message previews exactly what the reporter then receives, notes send nothing, and a
refused or hostile form changes nothing (400 or 409, never 500)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casebridge import audit
from casebridge.models import Case, CaseEvent, Message, Party, Referral, Reporter
from tests.api.conftest import api
from tests.conftest import phone_index
from tests.forwarding.cases import REPORTER_PHONE
from tests.workspace.conftest import UNSAFE_PHONE, post, token


def _case(s, ref: str) -> Case:
    return s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))


def _state(services, ref: str) -> tuple:
    """Everything an action could change on the case (reads left out)."""
    with services.db.session() as s:
        case = _case(s, ref)
        events = s.scalar(
            select(func.count(CaseEvent.id)).where(
                CaseEvent.case_id == case.id, CaseEvent.kind != audit.READ
            )
        )
        messages = s.scalar(select(func.count(Message.id)).where(Message.case_id == case.id))
        parties = [(p.role, p.name, p.contact, p.cooperative, p.note) for p in case.parties]
        referrals = s.scalar(select(func.count(Referral.id)).where(Referral.case_id == case.id))
        return case.status, case.assignee_id, events, messages, parties, referrals


def _to_reporter(services, phone: str = REPORTER_PHONE) -> list[tuple[str, str]]:
    with services.db.session() as s:
        rows = s.execute(
            select(Message.body, Message.status)
            .where(Message.phone_index == phone_index(phone), Message.direction == "out")
            .where(Message.purpose != "confirmation")
            .order_by(Message.id)
        )
        return [tuple(r) for r in rows]


def _last_event(services, ref: str) -> CaseEvent:
    with services.db.session() as s:
        return s.scalar(
            select(CaseEvent)
            .where(CaseEvent.case_id == _case(s, ref).id, CaseEvent.kind != audit.READ)
            .order_by(CaseEvent.id.desc())
            .limit(1)
        )


def _preview(client, ref: str, status: str, message: str) -> tuple[str, str]:
    """Ask for the preview; returns the page and the fingerprint its send form carries."""
    resp = post(client, ref, "status", status=status, message=message)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    confirm = html.split('name="confirm" value="')[1].split('"')[0]
    return html, confirm


def _sms_shown(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(html.split('id="preview-text" class="ws-sms">')[1].split("</pre>")[0])


@pytest.mark.parametrize(
    ("action", "fields", "kind", "flash"),
    [
        ("accept", {"note": "Siti menangani"}, "status", "Kasus diterima."),
        ("take", {}, "taken", "Anda menangani kasus ini."),
        ("note", {"note": "telepon majikan"}, "note", "Catatan disimpan."),
        (
            "parties",
            {"role": "employer", "name": "PT Maju", "cooperative": "no"},
            "party",
            "Pihak ditambahkan.",
        ),
    ],
)
def test_each_action_is_on_the_timeline_under_the_persons_name(
    siti, services, desk, action, fields, kind, flash
):
    ref = desk.cases["SBMI-BWI"][0]
    resp = post(siti, ref, action, **fields)
    assert resp.status_code == 302 and resp.headers["Location"] == f"/cases/{ref}"
    event = _last_event(services, ref)
    assert event.kind == kind and event.actor == f"person:{desk.users['siti']}"
    page = siti.get(f"/cases/{ref}").get_data(as_text=True)
    assert flash in page
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert "Siti Aminah" in timeline


def test_give_to_a_colleague_and_never_to_someone_elsewhere(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    assert post(siti, ref, "give", to=str(desk.users["budi"])).status_code == 302
    with services.db.session() as s:
        assert _case(s, ref).assignee_id == desk.users["budi"]
    assert (
        "Budi Santoso"
        in siti.get(f"/cases/{ref}").get_data(as_text=True).split('id="assignee"')[1][:80]
    )
    before = _state(services, ref)
    resp = post(siti, ref, "give", to=str(desk.users["mei"]))
    assert resp.status_code == 400 and "bukan rekan aktif" in resp.get_data(as_text=True)
    assert _state(services, ref) == before


def test_the_status_message_is_exactly_what_the_reporter_receives(siti, services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    jobs.run()
    before_preview = _to_reporter(services)
    html, confirm = _preview(siti, ref, "in_progress", "Kami sudah menghubungi BP3MI")
    shown = _sms_shown(html)
    assert shown == f"No {ref} dari SBMI Banyuwangi: Kami sudah menghubungi BP3MI"
    with services.db.session() as s:
        assert _case(s, ref).status == "accepted"  # a preview changes nothing
    assert _to_reporter(services) == before_preview
    resp = post(
        siti,
        ref,
        "status",
        status="in_progress",
        message="Kami sudah menghubungi BP3MI",
        confirm=confirm,
    )
    assert resp.status_code == 302
    jobs.run()  # the simulator provider "delivers" it
    assert _to_reporter(services)[-1] == (shown, "delivered")
    event = _last_event(services, ref)
    assert event.to_status == "in_progress" and event.actor == f"person:{desk.users['siti']}"


def test_a_preview_that_no_longer_holds_is_not_sent(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    _html, confirm = _preview(siti, ref, "needs_info", "Kapan gaji terakhir?")
    before = _state(services, ref)
    resp = post(
        siti, ref, "status", status="needs_info", message="Sesuatu yang lain", confirm=confirm
    )
    assert resp.status_code == 409 and 'id="preview-text"' in resp.get_data(as_text=True)
    assert _state(services, ref) == before


def test_nothing_is_sent_when_sms_is_not_safe_and_the_page_says_so(siti, services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][1]  # sms_safe: false
    post(siti, ref, "accept")
    html, confirm = _preview(siti, ref, "in_progress", "Kami sudah menghubungi BP3MI")
    assert 'id="preview-text"' not in html
    assert "Tidak ada yang dikirim ke pelapor." in html and "SMS ke pelapor ini tidak aman." in html
    post(
        siti,
        ref,
        "status",
        status="in_progress",
        message="Kami sudah menghubungi BP3MI",
        confirm=confirm,
    )
    jobs.run()
    assert _to_reporter(services, UNSAFE_PHONE) == []
    with services.db.session() as s:
        assert _case(s, ref).status == "in_progress"


def test_nothing_is_sent_to_a_reporter_who_said_stop(siti, services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    jobs.run()
    with services.db.session() as s:
        s.scalar(
            select(Reporter).where(Reporter.phone_index == phone_index(REPORTER_PHONE))
        ).opted_out = True
    before = _to_reporter(services)
    html, confirm = _preview(siti, ref, "resolved", "Gaji sudah dibayar")
    assert "Pelapor sudah minta berhenti menerima SMS (STOP)." in html
    post(siti, ref, "status", status="resolved", message="Gaji sudah dibayar", confirm=confirm)
    jobs.run()
    assert _to_reporter(services) == before


def test_closing_says_nothing_will_be_sent(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    html, confirm = _preview(siti, ref, "resolved", "")
    assert _sms_shown(html) == f"No {ref}: selesai. Lembaga: SBMI Banyuwangi."
    post(siti, ref, "status", status="resolved", message="", confirm=confirm)
    html, _confirm = _preview(siti, ref, "closed", "")
    assert "Perubahan ini tidak dikabarkan kepada pelapor." in html


def test_an_internal_note_sends_nothing(siti, services, jobs, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    jobs.run()
    before = _to_reporter(services)
    assert post(siti, ref, "note", note="majikan tidak mengangkat telepon").status_code == 302
    jobs.run()
    assert _to_reporter(services) == before


def test_a_party_is_added_and_edited(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    post(
        siti,
        ref,
        "parties",
        role="family",
        name="Pak Darto",
        contact="+6281299998888",
        cooperative="unknown",
        party_note="ayah",
    )
    with services.db.session() as s:
        party_id = s.scalar(select(Party.id))
    resp = post(
        siti,
        ref,
        f"parties/{party_id}",
        role="broker",
        name="Pak Darto",
        contact="+6281299998888",
        cooperative="no",
        party_note="ayah; juga calo",
    )
    assert resp.status_code == 302
    with services.db.session() as s:
        party = s.get(Party, party_id)
        assert (party.role, party.cooperative, party.note) == ("broker", "no", "ayah; juga calo")
    event = _last_event(services, ref)
    assert (
        event.note
        == "family: Pak Darto (cooperative: unknown) -> broker: Pak Darto (cooperative: no)"
    )
    page = siti.get(f"/cases/{ref}").get_data(as_text=True)
    assert "Calo / sponsor" in page.split('id="parties"')[1]


def test_refer_needs_the_reporters_consent(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    before = _state(services, ref)
    resp = post(siti, ref, "refer", to="POSDESA-JATIM", reason="dekat rumah")
    assert resp.status_code == 400
    assert "Tanpa persetujuan pelapor" in resp.get_data(as_text=True)
    assert _state(services, ref) == before
    assert (
        post(siti, ref, "refer", to="POSDESA-JATIM", reason="dekat rumah", consent="1").status_code
        == 302
    )
    with services.db.session() as s:
        referral = s.scalar(select(Referral))
        assert referral.consent is True and referral.reason == "dekat rumah"
    assert _last_event(services, ref).actor == f"person:{desk.users['siti']}"


def test_decline_sends_the_case_on_and_back_to_the_inbox(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    resp = post(siti, ref, "decline", reason="di luar wilayah")
    assert resp.status_code == 302 and resp.headers["Location"] == "/cases"
    assert siti.get(f"/cases/{ref}").status_code == 404


def test_the_referral_pdf_is_a_read(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    resp = siti.get(f"/cases/{ref}/referral.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF")
    with services.db.session() as s:
        notes = s.scalars(select(CaseEvent.note).where(CaseEvent.kind == audit.READ)).all()
    assert f"GET /cases/{ref}/referral.pdf" in notes


def test_a_move_the_case_does_not_allow_is_a_409(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    before = _state(services, ref)
    resp = post(siti, ref, "status", status="resolved", message="x")
    assert resp.status_code == 409 and "Status kasus tidak bisa diubah" in resp.get_data(
        as_text=True
    )
    assert _state(services, ref) == before


HOSTILE = [
    ("note", {"note": "catatan\x00jahat"}),
    ("note", {"note": "x" * 10_240}),
    ("decline", {"reason": "alasan\x00"}),
    ("parties", {"role": "pacar", "name": "Anto"}),
    ("parties", {"role": "employer", "name": "N" * 10_240}),
    ("parties", {"role": "employer", "name": "PT\x00Jahat"}),
    ("status", {"status": "in_progress", "message": "m" * 10_240}),
    ("status", {"status": "deleted", "message": "hai"}),
    ("refer", {"to": "POSDESA-JATIM", "reason": "r\x00", "consent": "1"}),
    ("refer", {"to": "NOWHERE", "reason": "r", "consent": "1"}),
    ("give", {"to": "9" * 40}),
    ("give", {"to": "999999999999"}),
    ("give", {"to": "-1"}),
]


@pytest.mark.parametrize(("action", "fields"), HOSTILE)
def test_hostile_input_is_a_400_and_changes_nothing(siti, services, desk, action, fields):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    before = _state(services, ref)
    resp = post(siti, ref, action, **fields)
    assert resp.status_code == 400, resp.get_data(as_text=True)[-2000:]
    assert 'role="alert"' in resp.get_data(as_text=True)
    assert _state(services, ref) == before


@pytest.mark.parametrize("action", ["accept", "note", "status", "parties", "refer", "take"])
def test_a_form_without_its_token_is_refused(siti, services, desk, action):
    ref = desk.cases["SBMI-BWI"][0]
    token(siti, f"/cases/{ref}")  # the session has a token; the form does not carry it
    before = _state(services, ref)
    fields = {
        "note": "x",
        "status": "closed",
        "role": "other",
        "name": "x",
        "to": "KOORD",
        "reason": "x",
    }
    assert siti.post(f"/cases/{ref}/{action}", data=fields).status_code == 400
    assert (
        siti.post(f"/cases/{ref}/{action}", data={**fields, "csrf_token": "forged"}).status_code
        == 400
    )
    assert _state(services, ref) == before


def test_the_web_and_the_api_agree_on_what_the_case_is(siti, client, services, desk, api_key):
    ref = desk.cases["SBMI-BWI"][0]
    post(siti, ref, "accept")
    post(siti, ref, "note", note="catatan web")
    body = api(client, "GET", f"/cases/{ref}", api_key("SBMI-BWI")).get_json()
    assert body["status"] == "accepted"
    assert [e["actor"] for e in body["timeline"] if e["kind"] == "note"] == [
        f"person:{desk.users['siti']}"
    ]
