"""The simulator's WhatsApp phone in a real headless Chromium: a report started by text, a
choice tapped as a button, a photo sent from the file picker and kept as an attachment."""

from __future__ import annotations

import time

from sqlalchemy import select

from casebridge.models import Attachment
from tests.browser.test_pages import csp_violations, wait_inbox

PNG = b"\x89PNG\r\n\x1a\n" + b"photo of a contract" * 40


def test_whatsapp_phone_taps_a_choice_and_sends_a_photo(live, browser, tmp_path):
    base, services = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = csp_violations(page)
    page.goto(base + "/simulator")
    page.fill("#whatsapp-number", "+6289900000103")
    page.fill("#whatsapp-text", "LAPOR gaji belum dibayar di Malaysia")
    page.click("#whatsapp-send")
    wait_inbox(page, "#whatsapp-inbox", "Anda siapa")
    page.locator("#whatsapp-inbox button", has_text="Diri sendiri").first.click()
    wait_inbox(page, "#whatsapp-inbox", "Siapa nama Anda")
    photo = tmp_path / "kontrak.png"
    photo.write_bytes(PNG)
    page.set_input_files("#whatsapp-photo", str(photo))
    page.click("#whatsapp-send")
    wait_inbox(page, "#whatsapp-inbox", "File Anda diterima")
    for _ in range(100):
        with services.db.session() as session:
            row = session.scalars(select(Attachment)).first()
            if row is not None and row.status == "stored":
                break
        time.sleep(0.1)
    assert row is not None and (row.status, row.size) == ("stored", len(PNG))
    assert refused == []
    page.close()
