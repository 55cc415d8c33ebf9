"""The simulator and the dashboard in a real headless Chromium, as a trainer would use them."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from casebridge.models import Case, Role
from gateway.submit import submit_report
from tests.core.test_intake import report
from tests.people import PASSWORD, make_person, totp_code

pytestmark = pytest.mark.browser
USSD_REPORT = [
    "1", "2", "2", "Siti Rahayu", "1", "1", "2", "Jawa Timur", "Banyuwangi",
    "0123456789", "Gaji 4 bulan belum dibayar", "2", "1", "1", "1",
]  # fmt: skip
SMS_REPORT = [  # (what the reporter sends, a word of the question that must come back first)
    ("LAPOR gaji belum dibayar di Malaysia", "Anda siapa"),
    ("1", "Siapa nama"),
    ("Wati", "Jenis kelamin"),
    ("1", "kabupaten/kota"),
    ("Banyuwangi", "Amankah"),
    ("1", "PIN"),
]


def csp_violations(page) -> list[str]:
    """What Chromium refused under the pages' Content-Security-Policy (kept as it happens)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return refused


def ussd_press(page, value: str) -> str:
    before = page.locator("#reporter-screen").inner_text()
    page.fill("#reporter-input", value)
    page.click("#ussd-send")
    page.wait_for_function(
        "([sel, old]) => document.querySelector(sel).textContent !== old",
        arg=["#reporter-screen", before],
        timeout=10_000,
    )
    return page.locator("#reporter-screen").inner_text()


def wait_inbox(page, box: str, text: str, timeout: int = 20_000) -> None:
    page.wait_for_function(
        "([sel, t]) => document.querySelector(sel).textContent.includes(t)",
        arg=[box, text],
        timeout=timeout,
    )


def sms(page, who: str, text: str) -> None:
    page.fill(f"#{who}-sms", text)
    page.click(f"#{who}-sms-send")


def test_ussd_report_on_the_simulator_shows_the_reference(live, browser, shots):
    base, _ = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = csp_violations(page)
    page.goto(base + "/")
    assert page.url.endswith("/simulator")
    page.click("#ussd-dial")
    page.wait_for_function(
        "() => document.querySelector('#reporter-screen').textContent.length > 0"
    )
    assert "Layanan Pengaduan" in page.locator("#reporter-screen").inner_text()
    screen = ""
    for value in USSD_REPORT:
        screen = ussd_press(page, value)
    assert "Laporan terkirim" in screen
    assert re.search(r"\d{4}-\d{4}", screen), screen
    page.screenshot(path=str(shots / "simulator.png"), full_page=True)
    assert (shots / "simulator.png").stat().st_size > 10_000
    assert refused == []
    page.close()


def test_sms_report_caseworker_accepts_and_dashboard_shows_it(live, browser, shots):
    base, services = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = csp_violations(page)
    page.goto(base + "/simulator")
    page.fill("#reporter-number", "+6289900000104")  # the training range
    for text, question in SMS_REPORT:
        sms(page, "reporter", text)
        wait_inbox(page, "#reporter-inbox", question)
        page.wait_for_timeout(2500)  # people read the question before they answer
    inbox = page.locator("#reporter-inbox").inner_text()
    ref = re.search(r"No: (\d{4}-\d{4})", inbox).group(1)

    page.select_option("#caseworker-number", "+6289900000002")
    wait_inbox(page, "#caseworker-inbox", ref)  # the new case reached the organisation
    sms(page, "caseworker", f"TERIMA {ref}")
    wait_inbox(page, "#reporter-inbox", "diterima lembaga")

    submit_report(services, "real-report", report())  # a real report, from a real number
    for _ in range(100):
        with services.db.session() as s:
            if s.scalar(select(func.count()).select_from(Case)) == 2:
                break
        time.sleep(0.1)

    coordinator = make_person(services, "KOORD", Role.COORDINATOR)
    page.goto(base + "/dashboard/")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#email", coordinator.email)
    page.fill("#password", "a wrong password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    page.fill("#email", coordinator.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.fill("#code", totp_code(coordinator))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.locator("svg[role=img]").count() >= 6
    assert int(page.locator("#open-total").inner_text()) == 1  # not the training case
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    page.goto(base + "/dashboard/cases")
    assert ref in page.locator("#case-list").inner_text()
    page.click(f"text={ref}")
    assert page.locator("ol.timeline li").count() >= 3
    assert refused == []
    page.close()
