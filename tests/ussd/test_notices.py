"""Notices (END screens for a broken request or a busy service) are data, fit one screen in
every language, and `pengaduan menus check` catches one that does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casebridge.gsm import is_gsm7, septets
from ussd_menus import check
from ussd_menus.menu import DEFAULT_DIR, load
from ussd_menus.notices import NOTICES, notice
from ussd_menus.screens import LIMIT


@pytest.mark.parametrize("lang", [*load().languages, "xx"])
@pytest.mark.parametrize("key", NOTICES)
def test_every_notice_fits_one_screen(lang, key):
    screen = notice(key, lang)
    assert screen.end and is_gsm7(screen.text) and septets(screen.text) <= LIMIT
    assert "notice." not in screen.text  # a real text, not the key's name


def test_english_busy_notice():
    assert notice("busy", "en").text == (
        "Sorry, the service is busy. Please try again in a few minutes. "
        "Emergency: BP2MI 0800-1000 (free), Police 110."
    )


def test_check_reports_a_notice_that_is_too_long_or_missing(tmp_path):
    folder = Path(shutil.copytree(DEFAULT_DIR, tmp_path / "menus_copy"))
    texts = folder / "texts" / "en.yaml"
    content = texts.read_text(encoding="utf-8")
    content = content.replace(
        '  busy: "Sorry, the service is busy.', '  busy: "' + "Very busy. " * 17 + "Sorry.", 1
    )
    content = content.replace('  no_phone: "Sorry, your phone', '  phone_gone: "Sorry', 1)
    texts.write_text(content, encoding="utf-8")
    problems = check.check(folder)
    assert any(p.startswith("en: text 'notice.busy' is ") and "(limit 182)" in p for p in problems)
    assert "en: text 'notice.no_phone' is missing" in problems
