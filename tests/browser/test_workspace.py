"""The caseworker workspace in a real headless Chromium on a phone-sized screen: invited,
a password and an authenticator app enrolled, then the inbox
shows the offered case with its deadline, then accept, a status message (the reporter's
simulated phone receives exactly the previewed text), an internal note (nothing reaches the
reporter), a party, a referral with consent, the PDF and signing out; no page scrolls
sideways at 360 px."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from casebridge import accounts, refs
from casebridge.models import Case, Message, Organisation, Role
from gateway.submit import submit_report
from tests.conftest import phone_index
from tests.forwarding.cases import REPORTER_PHONE, report
from tests.people import PASSWORD, totp_code

pytestmark = pytest.mark.browser
WIDTH = 360


def _wait(check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def _filed(services) -> str:
    submit_report(services, "workspace-browser", report())

    def case_ref():
        with services.db.session() as s:
            case = s.scalar(select(Case).where(Case.status == "assigned"))
            return refs.format_ref(case.reference) if case else None

    return _wait(case_ref)


def _to_reporter(services) -> list[tuple[str, str]]:
    with services.db.session() as s:
        rows = s.execute(
            select(Message.body, Message.status)
            .where(Message.phone_index == phone_index(REPORTER_PHONE), Message.direction == "out")
            .order_by(Message.id)
        )
        return [tuple(r) for r in rows]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def _enrol(page, services, base: str) -> None:
    """A caseworker invited by the CLI's domain function opens the link, sets a password,
    enrols an authenticator app from the secret shown, and lands in the inbox."""
    with services.db.session() as s:
        org = s.scalar(select(Organisation).where(Organisation.code == "SBMI-BWI"))
        link = accounts.invite(
            s,
            email="siti@example.org",
            org=org,
            role=Role.CASEWORKER,
            base_url=base,
            name="Siti Aminah",
        ).url
    page.goto(link)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.check("input[name=factor][value=totp]")
    page.click("button[type=submit]")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#code", totp_code(secret))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/cases$"))


def test_a_caseworker_works_a_case_on_a_phone(live, browser, shots):
    base, services = live
    ref = _filed(services)
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    _enrol(page, services, base)

    page.goto(base + "/cases")
    offered = page.locator("#group-offered")
    assert ref in offered.inner_text()
    assert "Sisa waktu untuk menerima: 2 hari" in offered.inner_text()
    _fits(page)
    page.screenshot(path=str(shots / "workspace-inbox.png"), full_page=True)

    page.click(f"text={ref}")
    page.wait_for_url(f"**/cases/{ref}")
    _fits(page)
    page.click("#form-accept button[type=submit]")
    assert "Kasus diterima." in page.locator("[role=status]").inner_text()

    page.select_option("#form-status select[name=status]", "in_progress")
    page.fill("#form-status textarea[name=message]", "Kami sudah menghubungi agensi Anda")
    page.click("#form-status button[type=submit]")
    previewed = page.locator("#preview-text").inner_text()
    assert previewed == f"No {ref} dari SBMI Banyuwangi: Kami sudah menghubungi agensi Anda"
    _fits(page)
    page.click("#form-status-send button[type=submit]")
    assert "pesan dikirim ke pelapor" in page.locator("[role=status]").inner_text()
    _wait(lambda: _to_reporter(services)[-1] == (previewed, "delivered"))
    told = _to_reporter(services)

    page.fill("#form-note textarea[name=note]", "Majikan tidak mengangkat telepon")
    page.click("#form-note button[type=submit]")
    assert "Catatan disimpan" in page.locator("[role=status]").inner_text()
    time.sleep(1.5)  # the worker beside the server would have sent anything queued by now
    assert _to_reporter(services) == told

    page.select_option("#form-party select[name=role]", "family")
    page.fill("#form-party input[name=name]", "Pak Darto")
    page.select_option("#form-party select[name=cooperative]", "no")
    page.click("#form-party button[type=submit]")
    assert "Pak Darto" in page.locator("#parties").inner_text()

    page.select_option("#form-refer select[name=to]", "POSDESA-JATIM")
    page.fill("#form-refer input[name=reason]", "dekat rumah keluarga")
    page.check("#form-refer input[name=consent]")
    page.click("#form-refer button[type=submit]")
    assert "Kasus dirujuk." in page.locator("[role=status]").inner_text()
    assert "POSDESA-JATIM" in page.locator("#parties").inner_text()
    _fits(page)
    page.screenshot(path=str(shots / "workspace-case.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#pdf-link")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login$"))
    page.goto(base + f"/cases/{ref}")
    assert "/login" in page.url
    context.close()
