"""Sign-in, invitations and the admin pages through the Flask test client: one message for
every wrong answer, throttling, CSRF, no open redirect, sessions that end at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from casebridge import accounts
from casebridge.models import ApiKey, Message, Role, User
from tests.people import PASSWORD, csrf_from, log_in, make_person, totp_code

WRONG = "Email, kata sandi, atau kode salah."
THROTTLED = "Terlalu banyak percobaan gagal"


def password_step(client, email, password, address="127.0.0.1"):
    token = csrf_from(client, "/login")
    return client.post(
        "/login",
        data={"step": "password", "email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_wrong_email_password_or_code_all_get_the_same_words(client, services, orgs):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    unknown = password_step(client, "nobody@example.org", PASSWORD)
    wrong = password_step(client, user.email, "not the password at all")
    assert unknown.status_code == wrong.status_code == 401
    assert WRONG in unknown.get_data(as_text=True) and WRONG in wrong.get_data(as_text=True)
    bad_code = log_in(client, user, code="000000")
    assert bad_code.status_code == 401 and WRONG in bad_code.get_data(as_text=True)
    assert client.get("/admin/people").status_code == 302
    ok = log_in(client, user, next_="/admin/people")
    assert ok.status_code == 302 and ok.headers["Location"] == "/admin/people"
    assert client.get("/admin/people").status_code == 200
    with services.db.session() as s:
        assert s.get(User, user.id).signed_in_at is not None


def test_five_failures_lock_the_account_even_for_the_right_password(client, services, orgs):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    for i in range(4):
        assert password_step(client, user.email, f"wrong {i}", f"10.0.0.{i}").status_code == 401
    assert log_in(client, user, code="123456").status_code == 401  # the 5th: a wrong code
    refused = password_step(client, user.email, PASSWORD, "10.9.9.9")  # another address
    assert refused.status_code == 429 and THROTTLED in refused.get_data(as_text=True)
    other = make_person(services, "SBMI-BWI", email="other@example.org")
    assert password_step(client, other.email, PASSWORD, "10.9.9.9").status_code == 200


def test_twenty_failures_from_one_address_lock_it(client, services, orgs):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    for i in range(20):
        password_step(client, f"guess{i}@example.org", "guess", "10.1.1.1")
    refused = password_step(client, user.email, PASSWORD, "10.1.1.1")
    assert refused.status_code == 429 and THROTTLED in refused.get_data(as_text=True)
    assert password_step(client, user.email, PASSWORD, "10.1.1.2").status_code == 200


def test_forms_without_the_csrf_token_are_refused(client, services, sign_in_as, orgs):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    client.get("/login")
    login = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert login.status_code == 400
    sign_in_as(user)
    assert client.post("/admin/people/invite", data={"email": "a@example.org"}).status_code == 400
    assert client.post("/admin/keys/create", data={"name": "x"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/people").status_code == 200  # still signed in
    with services.db.session() as s:
        assert s.scalars(select(ApiKey)).first() is None


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/admin/keys", "/admin/keys"),
        ("/dashboard/cases?country=HK", "/dashboard/cases?country=HK"),
        ("https://evil.example/cases", "/cases"),
        ("//evil.example/cases", "/cases"),
        ("/\\evil.example", "/cases"),
        ("/login", "/cases"),
        ("javascript:alert(1)", "/cases"),
    ],
)
def test_next_leads_only_to_our_own_pages(client, services, orgs, target, lands):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    resp = log_in(client, user, next_=target)
    assert resp.status_code == 302 and resp.headers["Location"] == lands


def test_a_disabled_persons_open_session_is_refused_at_once(client, app, services, orgs):
    admin = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    worker = make_person(services, "SBMI-BWI", Role.ORG_ADMIN, email="siti@example.org")
    theirs = app.test_client()
    assert log_in(theirs, worker, next_="/admin/people").status_code == 302
    assert theirs.get("/admin/people").status_code == 200
    assert log_in(client, admin, next_="/admin/people").status_code == 302
    page = client.get("/admin/people").get_data(as_text=True)
    assert "siti@example.org" in page
    token = csrf_from(client, "/admin/people")
    done = client.post(f"/admin/people/{worker.id}/disable", data={"csrf_token": token})
    assert done.status_code == 302
    refused = theirs.get("/admin/people")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert "dinonaktifkan" in client.get("/admin/people").get_data(as_text=True)


def test_a_reset_ends_sessions_and_shows_a_new_link_once(client, app, services, orgs):
    coordinator = make_person(services, "KOORD", Role.COORDINATOR)
    admin = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    theirs = app.test_client()
    assert log_in(theirs, admin, next_="/admin/people").status_code == 302
    log_in(client, coordinator, next_="/admin/people")
    token = csrf_from(client, "/admin/people?org=SBMI-BWI")
    page = client.post(
        f"/admin/people/{admin.id}/reset", data={"csrf_token": token, "org": "SBMI-BWI"}
    )
    link = re.search(r'id="invite-link">([^<]+)<', page.get_data(as_text=True)).group(1)
    assert link.startswith("http://127.0.0.1:5000/invite/")
    assert theirs.get("/admin/people").status_code == 302
    assert link not in client.get("/admin/people?org=SBMI-BWI").get_data(as_text=True)
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 200


def test_a_caseworker_gets_403_on_every_admin_page(client, services, sign_in_as, orgs):
    sign_in_as(make_person(services, "SBMI-BWI", Role.CASEWORKER))
    token = csrf_from(client, "/login")
    for path in ("/admin/", "/admin/people", "/admin/keys"):
        assert client.get(path).status_code == 403, path
    for path in ("/admin/people/invite", "/admin/keys/create", "/admin/people/1/disable"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert client.get("/dashboard/").status_code == 403


def test_an_org_admin_cannot_reach_another_organisations_people(client, services, sign_in_as, orgs):
    sign_in_as(make_person(services, "SBMI-BWI", Role.ORG_ADMIN))
    elsewhere = make_person(services, "LBH-NTB", Role.CASEWORKER)
    page = client.get("/admin/people?org=LBH-NTB").get_data(as_text=True)
    assert elsewhere.email not in page  # the own organisation's page, not LBH-NTB's
    token = csrf_from(client, "/admin/people")
    for action in ("disable", "reset"):
        resp = client.post(f"/admin/people/{elsewhere.id}/{action}", data={"csrf_token": token})
        assert resp.status_code == 404
    with services.db.session() as s:
        assert s.get(User, elsewhere.id).ready
    refused = client.post(
        "/admin/people/invite",
        data={"csrf_token": token, "email": "boss@example.org", "role": "coordinator"},
    )
    assert refused.status_code == 400 and "Anda tidak boleh" in refused.get_data(as_text=True)


def test_an_admin_invites_and_the_invitee_enrols_with_an_app(client, app, services, orgs):
    admin = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    log_in(client, admin, next_="/admin/people")
    token = csrf_from(client, "/admin/people")
    page = client.post(
        "/admin/people/invite",
        data={
            "csrf_token": token,
            "email": "Rina@Example.org",
            "name": "Rina",
            "role": "caseworker",
        },
    ).get_data(as_text=True)
    link = (
        re.search(r'id="invite-link">([^<]+)<', page).group(1).replace("http://127.0.0.1:5000", "")
    )
    assert "rina@example.org" in page and "diundang" in page

    rina = app.test_client()
    form = csrf_from(rina, link)
    short = rina.post(
        link,
        data={"csrf_token": form, "password": "short", "password_again": "short", "factor": "totp"},
    )
    assert short.status_code == 400 and "minimal 12" in short.get_data(as_text=True)
    step = rina.post(
        link,
        data={
            "csrf_token": form,
            "password": PASSWORD,
            "password_again": PASSWORD,
            "factor": "totp",
        },
    ).get_data(as_text=True)
    assert 'src="data:image/svg+xml' in step
    secret = re.search(r'id="totp-secret" class="secret">([^<]+)<', step).group(1)
    wrong = rina.post(link, data={"csrf_token": form, "step": "code", "code": "000000"})
    assert wrong.status_code == 400
    done = rina.post(link, data={"csrf_token": form, "step": "code", "code": totp_code(secret)})
    assert done.status_code == 302 and done.headers["Location"] == "/cases"
    assert rina.get(link).status_code == 404  # used up
    with services.db.session() as s:
        user = s.scalar(select(User).where(User.email == "rina@example.org"))
        assert user.ready and user.invited_by_id == admin.id and user.signed_in_at is not None
    assert rina.get("/admin/people").status_code == 403  # signed in, as a caseworker


def test_an_sms_enrolment_and_sign_in_read_the_code_from_the_outbox(
    client, app, services, orgs, jobs
):
    with services.db.session() as s:
        from tests.accounts.test_domain import org

        url = accounts.invite(
            s,
            email="sms@example.org",
            org=org(s, "SBMI-BWI"),
            role="org_admin",
            base_url="",
            phone="+6281234567002",
        ).url

    def last_code():
        with services.db.session() as s:
            message = s.scalars(select(Message).order_by(Message.id.desc())).first()
            assert message.phone == "+6281234567002" and message.purpose == "sign_in_code"
            return re.search(r"\b(\d{6})\b", message.body).group(1)

    form = csrf_from(client, url)
    step = client.post(
        url,
        data={
            "csrf_token": form,
            "password": PASSWORD,
            "password_again": PASSWORD,
            "factor": "sms",
        },
    )
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "+6281234567002" not in html  # the phone is masked
    jobs.run()  # the code leaves through the default provider (the simulator here)
    with services.db.session() as s:
        assert s.scalars(select(Message)).one().status in ("sent", "delivered")
    done = client.post(url, data={"csrf_token": form, "step": "code", "code": last_code()})
    assert done.status_code == 302
    token = csrf_from(client, "/admin/people")
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/people").status_code == 302
    with services.db.session() as s:
        user = s.scalar(select(User).where(User.email == "sms@example.org"))
    token = csrf_from(client, "/login")
    first = client.post(
        "/login",
        data={"csrf_token": token, "step": "password", "email": user.email, "password": PASSWORD},
    )
    assert first.status_code == 200 and "SMS" in first.get_data(as_text=True)
    ok = client.post(
        "/login",
        data={"csrf_token": token, "step": "code", "code": last_code(), "next": "/admin/people"},
    )
    assert ok.status_code == 302 and client.get("/admin/people").status_code == 200


def test_unknown_invite_links_get_one_clear_404(client, orgs):
    for path in ("/invite/nonsense", "/invite/" + "x" * 300):
        resp = client.get(path)
        assert resp.status_code == 404 and "Tautan tidak berlaku" in resp.get_data(as_text=True)


def test_api_keys_are_created_once_used_and_revoked(client, services, sign_in_as, orgs):
    sign_in_as(make_person(services, "SBMI-BWI", Role.ORG_ADMIN))
    token = csrf_from(client, "/admin/keys")
    assert client.post("/admin/keys/create", data={"csrf_token": token}).status_code == 400
    page = client.post("/admin/keys/create", data={"csrf_token": token, "name": "web form"})
    key = re.search(r'id="new-key">([^<]+)<', page.get_data(as_text=True)).group(1)
    listing = client.get("/admin/keys").get_data(as_text=True)
    assert key not in listing and "web form" in listing and key[:12] in listing
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/stats", headers=auth).status_code == 200
    with services.db.session() as s:
        row = s.scalar(select(ApiKey).where(ApiKey.name == "web form"))
        first_use = row.last_used_at
        assert first_use is not None and row.created_by_id is not None
    assert client.get("/api/v1/stats", headers=auth).status_code == 200
    with services.db.session() as s:
        assert s.get(ApiKey, row.id).last_used_at == first_use  # not written again this minute
    resp = client.post(f"/admin/keys/{row.id}/revoke", data={"csrf_token": token})
    assert resp.status_code == 302
    assert client.get("/api/v1/stats", headers=auth).status_code == 401


def test_a_coordinator_picks_any_organisation(client, services, sign_in_as, orgs):
    sign_in_as(make_person(services, "KOORD", Role.COORDINATOR))
    elsewhere = make_person(services, "LBH-NTB", Role.CASEWORKER)
    assert elsewhere.email in client.get("/admin/people?org=LBH-NTB").get_data(as_text=True)
    assert client.get("/admin/people?org=NOPE").status_code == 404
    token = csrf_from(client, "/admin/people")
    page = client.post(
        "/admin/people/invite",
        data={
            "csrf_token": token,
            "org": "LBH-NTB",
            "email": "new@example.org",
            "role": "org_admin",
        },
    )
    assert page.status_code == 200 and 'id="invite-link"' in page.get_data(as_text=True)
    with services.db.session() as s:
        new = s.scalar(select(User).where(User.email == "new@example.org"))
        assert new.organisation.code == "LBH-NTB" and new.role == "org_admin"


def test_hostile_bytes_get_a_clear_answer_never_a_500(client, services, sign_in_as, orgs):
    assert password_step(client, "a\x00@example.org", "x\x00" * 8).status_code == 401
    sign_in_as(make_person(services, "KOORD", Role.COORDINATOR))
    assert client.get("/admin/people?org=KO\x00ORD").status_code == 200  # read as KOORD
    token = csrf_from(client, "/admin/people")
    bad = client.post(
        "/admin/people/invite",
        data={"csrf_token": token, "email": "x\x00@example.org", "role": "caseworker"},
    )
    assert bad.status_code == 400 and "Alamat email tidak valid" in bad.get_data(as_text=True)
    named = client.post(
        "/admin/people/invite",
        data={
            "csrf_token": token,
            "org": "SBMI-BWI",
            "email": "ok@example.org",
            "name": "Ri\x00na\r\nDewi",
            "role": "caseworker",
            "phone": "+62\x00812",
        },
    )
    assert named.status_code == 400 and "Nomor telepon tidak valid" in named.get_data(as_text=True)
    key = client.post("/admin/keys/create", data={"csrf_token": token, "name": "we\x00b"})
    assert key.status_code == 200
    with services.db.session() as s:
        assert s.scalar(select(ApiKey.name)) == "web"


def test_a_new_password_between_the_two_steps_voids_the_first(client, services, orgs):
    user = make_person(services, "SBMI-BWI", Role.ORG_ADMIN)
    token = csrf_from(client, "/login")
    first = client.post(
        "/login",
        data={"step": "password", "email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert first.status_code == 200
    with services.db.session() as s:  # the person set a new password meanwhile
        s.get(User, user.id).password_hash = accounts.hash_password("another long passphrase")
    code = client.post(
        "/login", data={"step": "code", "code": totp_code(user), "csrf_token": token}
    )
    assert code.status_code == 401 and client.get("/admin/people").status_code == 302
