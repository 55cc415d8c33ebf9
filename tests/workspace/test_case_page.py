"""`GET /cases/<reference>`: the facts as the person may see them, the conversation with the
reporter, names on the timeline and the audit, and the same 404 for a case of another
organisation as for one that does not exist, on the page and on every action."""

from __future__ import annotations

from sqlalchemy import select

from casebridge import actions, audit, conversation
from casebridge.models import Case, CaseEvent, Message, Organisation
from tests.forwarding.cases import REPORTER_PHONE
from tests.workspace.conftest import token
from tests.workspace.signin import sign_in

ACTIONS = (
    "accept",
    "decline",
    "take",
    "give",
    "note",
    "parties",
    "parties/1",
    "refer",
    "status",
)


def _case(s, ref: str) -> Case:
    return s.scalar(select(Case).where(Case.reference == ref.replace("-", "")))


def test_the_reporter_is_masked_until_the_case_is_accepted(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    html = siti.get(f"/cases/{ref}").get_data(as_text=True)
    assert REPORTER_PHONE not in html and "disamarkan" in html
    assert "Gaji 4 bulan belum dibayar" in html and "Wati" in html
    assert 'id="attachments"' in html
    with services.db.session() as s:
        case = _case(s, ref)
        actions.accept(s, case, case.organisation, "test")
    html = siti.get(f"/cases/{ref}").get_data(as_text=True)
    assert REPORTER_PHONE in html


def test_another_organisations_case_is_a_404_like_a_missing_one(client, services, desk):
    sign_in(client, services, desk.users["mei"])
    theirs, missing = desk.cases["SBMI-BWI"][0], "0000-0000"
    page, none = client.get(f"/cases/{theirs}"), client.get(f"/cases/{missing}")
    assert page.status_code == none.status_code == 404
    assert page.get_data() == none.get_data()
    assert client.get(f"/cases/{theirs}/referral.pdf").status_code == 404
    csrf = token(client, "/cases")
    for action in ACTIONS:
        fields = {"csrf_token": csrf, "note": "x", "reason": "x", "to": "1", "status": "closed"}
        resp = client.post(f"/cases/{theirs}/{action}", data=fields)
        assert resp.status_code == 404, action
        assert resp.get_data() == client.post(f"/cases/{missing}/{action}", data=fields).get_data()
    with services.db.session() as s:
        case = _case(s, theirs)
        assert case.status == "assigned" and case.assignee_id is None
        kinds = {e.kind for e in case.events}
        assert not kinds & {"note", "taken", "given", "referral", "party", "read"}


def test_the_page_is_a_read_with_the_persons_name(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    siti.get(f"/cases/{ref}")
    html = siti.get(f"/cases/{ref}").get_data(as_text=True)
    with services.db.session() as s:
        case_id = _case(s, ref).id
        reads = s.scalars(
            select(CaseEvent).where(CaseEvent.kind == audit.READ, CaseEvent.case_id == case_id)
        ).all()
    me = f"person:{desk.users['siti']}"
    assert [(r.actor, r.note) for r in reads] == [(me, f"GET /cases/{ref}")] * 2
    who_read = html.split('id="audit"')[1]
    assert who_read.count("Siti Aminah") == 2


def test_the_conversation_holds_every_message_in_order(siti, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = _case(s, ref)
        actions.add_reporter_message(s, case, "Majikan mengambil paspor saya")
    with services.db.session() as s:
        lines = conversation.lines(s, _case(s, ref))
    assert [line.direction for line in lines] == ["out", "in"]
    assert f"No: {ref} PIN: ••••." in lines[0].body  # the confirmation; its PIN is not ours
    with services.db.session() as s:
        pin_sent = s.scalar(select(Message.body).where(Message.purpose == "confirmation"))
    pin = pin_sent.split("PIN: ")[1][:4]
    assert pin.isdigit() and f"PIN: {pin}" not in siti.get(f"/cases/{ref}").get_data(as_text=True)
    html = siti.get(f"/cases/{ref}").get_data(as_text=True)
    talk = html.split('id="conversation"')[1].split("</section>")[0]
    assert talk.index(lines[0].body[:20]) < talk.index("Majikan mengambil paspor saya")


def test_a_case_offered_by_referral_can_be_accepted_by_its_new_organisation(client, services, desk):
    ref = desk.cases["SBMI-BWI"][0]
    with services.db.session() as s:
        case = _case(s, ref)
        shelter = s.scalar(select(Organisation).where(Organisation.code == "SHELTER-HK"))
        actions.refer(s, case, case.organisation, "test", shelter, "in HK now", True)
    sign_in(client, services, desk.users["mei"])
    html = client.get("/cases").get_data(as_text=True)
    assert f'data-ref="{ref}"' in html.split('id="group-offered"')[1].split("</section>")[0]
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert 'id="form-accept"' in page and 'id="form-note"' not in page
    resp = client.post(f"/cases/{ref}/accept", data={"csrf_token": token(client, "/cases")})
    assert resp.status_code == 302
    with services.db.session() as s:
        case = _case(s, ref)
        assert case.organisation.code == "SHELTER-HK" and case.status == "accepted"


def test_switching_language_on_a_page_answered_to_a_form_goes_back_to_the_case(siti, desk):
    ref = desk.cases["SBMI-BWI"][0]
    resp = siti.get(f"/cases/{ref}/status?lang=en")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/cases/{ref}?lang=en"
    assert "Case inbox" in siti.get(resp.headers["Location"]).get_data(as_text=True)
