"""A person's account in a real headless Chromium: the invitation link, a password, an
authenticator app enrolled from the secret shown on the page, signing out and in again; the
sign-in and invitation pages fit a 360 px phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from casebridge import accounts
from casebridge.models import Organisation, Role, utcnow
from tests.people import PASSWORD, totp_code

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_invite_enrol_sign_out_and_in_again_on_a_phone(live, browser, shots):
    base, services = live
    with services.db.session() as s:
        koord = s.scalar(select(Organisation).where(Organisation.code == "KOORD"))
        link = accounts.invite(
            s,
            email="ana@example.org",
            org=koord,
            role=Role.COORDINATOR,
            base_url=base,
            name="Ana Koordinator",
        ).url
    page = browser.new_page(viewport=PHONE)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    page.goto(link)
    assert "Ana Koordinator" in page.inner_text("main")
    assert no_horizontal_scroll(page)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.check("input[name=factor][value=totp]")
    page.click("button[type=submit]")
    page.wait_for_selector("#totp-secret")
    assert page.locator("img.qr").evaluate("img => img.naturalWidth > 0")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "invite.png"), full_page=True)
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#code", totp_code(secret))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/cases$"))

    page.goto(base + "/dashboard/")
    assert page.url.endswith("/dashboard/")  # signed in, as a coordinator
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login$"))
    page.goto(base + "/dashboard/")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert no_horizontal_scroll(page)
    page.fill("#email", "ana@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#code")
    # the enrolment used this step's code; the app's next one comes 30 seconds later
    page.fill("#code", totp_code(secret, at=utcnow() + timedelta(seconds=30)))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.locator("#sign-out").is_visible()
    for path in ("/admin/people", "/admin/keys"):
        page.goto(base + path)
        assert "ana@example.org" in page.inner_text("main") or path == "/admin/keys"
        assert no_horizontal_scroll(page), path
    page.goto(link)  # the link was used up
    assert "Tautan tidak berlaku" in page.inner_text("main")
    assert refused == []
    page.close()
