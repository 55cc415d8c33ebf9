"""The caseworker workspace in a real headless Chromium on a phone-sized screen: the inbox
shows the offered case with its deadline, then accept, a status message (the reporter's
simulated phone receives exactly the previewed text), an internal note (nothing reaches the
reporter), a party, a referral with consent and the PDF; no page scrolls sideways at 360 px."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from casebridge import refs
from casebridge.models import Case, Message
from gateway.app import create_app
from gateway.submit import submit_report
from gateway.web import websessions
from tests.forwarding.cases import REPORTER_PHONE, report
from tests.workspace.signin import make_user, session_cookie

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
            .where(Message.phone == REPORTER_PHONE, Message.direction == "out")
            .order_by(Message.id)
        )
        return [tuple(r) for r in rows]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def test_a_caseworker_works_a_case_on_a_phone(live, browser, shots):
    base, services = live
    ref = _filed(services)
    user_id = make_user(services, "SBMI-BWI", "Siti Aminah")
    sid = websessions.start(services.redis, user_id)
    app = create_app(services=services)
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    context.add_cookies([{"name": "session", "value": session_cookie(app, sid), "url": base}])
    page = context.new_page()

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

    # TODO: sign out with the accounts part's POST /logout once it is on this branch.
    context.clear_cookies()
    page.goto(base + "/cases")
    assert "/login" in page.url
    context.close()
