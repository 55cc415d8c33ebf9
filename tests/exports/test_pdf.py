"""The referral packet: one case on paper for legal aid or a ministry."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.api.conftest import api
from tests.forwarding.cases import REPORTER_PHONE


def packet_text(client, rich_case, query: str = "") -> str:
    resp = api(
        client, "GET", f"/cases/{rich_case['reference']}/referral.pdf{query}", rich_case["key"]
    )
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(resp.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_packet_carries_reporter_worker_problem_parties_timeline_and_holder(client, rich_case):
    text = packet_text(client, rich_case)
    for expected in (
        f"Paket rujukan kasus {rich_case['reference']}",
        "SBMI Banyuwangi (SBMI-BWI)",  # who holds it
        "Sri",  # the reporter
        "Saudara kandung",
        "Wati",  # the worker
        "Perempuan",
        "Malaysia",
        "Jawa Timur (ID-JI)",
        "Gaji tidak dibayar",  # the problem
        "gaji ditahan 4 bulan",
        "PT Maju Jaya",  # parties
        "Agensi / P3MI",
        "Paman Joko",
        "LBH-TPPO",  # the referral
        "bantuan hukum",
        "Kronologi",
        "RAHASIA",
    ):
        assert expected in text, expected
    assert REPORTER_PHONE not in text and "+62812****7891" in text


def test_packet_in_english_with_full_phones_for_the_organisation_holding_it(client, rich_case):
    text = packet_text(client, rich_case, "?lang=en&phones=full")
    assert (
        "Case referral packet" in text and "Unpaid wages" in text and "Recruitment agency" in text
    )
    assert REPORTER_PHONE in text


def test_bad_language_is_a_400(client, rich_case):
    resp = api(
        client, "GET", f"/cases/{rich_case['reference']}/referral.pdf?lang=jv", rich_case["key"]
    )
    assert resp.status_code == 400 and "lang" in resp.get_json()["fields"]
