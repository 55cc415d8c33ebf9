"""What a signed-in person may not do, in a real headless Chromium: another organisation's
case answers as a missing one, admin pages refuse a caseworker, a disabled person's open
session is refused on its next request, and wrong passwords are throttled."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from casebridge import accounts, refs
from casebridge.models import Case, User
from gateway.submit import submit_report
from gateway.web import websessions
from tests.forwarding.cases import report
from tests.people import PASSWORD, make_person, totp_code

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _case_of_sbmi(services) -> str:
    submit_report(services, "refused-browser", report())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with services.db.session() as s:
            case = s.scalar(select(Case).where(Case.status == "assigned"))
            if case is not None:
                assert case.organisation.code == "SBMI-BWI"
                return refs.format_ref(case.reference)
        time.sleep(0.1)
    raise AssertionError("the report did not become a case")


def _sign_in(page, base: str, user) -> None:
    page.goto(base + "/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#code")
    page.fill("#code", totp_code(user))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/cases$"))


def test_another_organisations_case_and_admin_pages_are_refused(live, browser):
    base, services = live
    ref = _case_of_sbmi(services)
    outsider = make_person(services, "LBH-NTB")
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, base, outsider)
    assert ref not in page.inner_text("main")

    answer = page.goto(f"{base}/cases/{ref}")
    assert answer.status == 404
    missing = page.goto(f"{base}/cases/1234-5674")
    assert missing.status == 404
    assert ref not in page.content()
    for path in ("/admin/people", "/admin/keys", "/dashboard/"):
        assert page.goto(base + path).status == 403, path
    page.close()


def test_a_disabled_persons_open_session_is_refused_at_once(live, browser):
    base, services = live
    worker = make_person(services, "SBMI-BWI")
    page = browser.new_page(viewport=PHONE)
    _sign_in(page, base, worker)
    assert page.goto(base + "/cases").status == 200

    with services.db.session() as s:
        user = s.get(User, worker.id)
        accounts.disable(s, user, lambda uid: websessions.end_all(services.redis, uid))
    page.goto(base + "/cases")
    assert "/login" in page.url
    page.close()


def test_wrong_passwords_are_throttled_even_the_right_one_after(live, browser):
    base, services = live
    worker = make_person(services, "SBMI-BWI")
    page = browser.new_page(viewport=PHONE)
    answers = []
    for _ in range(5):
        page.goto(base + "/login")
        page.fill("#email", worker.email)
        page.fill("#password", "not the password at all")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("button[type=submit]")
        answers.append(posted.value.status)
    assert 429 not in answers[:5]
    page.goto(base + "/login")
    page.fill("#email", worker.email)
    page.fill("#password", PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("button[type=submit]")
    assert posted.value.status == 429
    assert "Terlalu banyak percobaan" in page.inner_text("main")
    assert page.locator("#code").count() == 0
    page.close()
