"""What the fault tests share: whole reports as a provider would deliver them, and counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from fakes.plugin import AT_TOKEN
from sqlalchemy import func, select

from casebridge.models import Case, Intake, Message

SMS_DIALOGUE = ["LAPOR gaji belum dibayar di Malaysia", "1", "Wati", "1", "Banyuwangi", "1"]
USSD_REPORT = [
    "1", "2", "2", "Siti Rahayu", "1", "1", "2", "Jawa Timur", "Banyuwangi",
    "0123456789", "Gaji 4 bulan belum dibayar", "2", "1", "1", "1",
]  # fmt: skip
"""Key presses of a whole USSD report that ends with a reference (sms_safe: yes)."""


def ussd_hop(client, session_id: str, phone: str, text: str):
    form = {
        "sessionId": session_id,
        "serviceCode": "*123#",
        "phoneNumber": phone,
        "networkCode": "99999",
        "text": text,
    }
    return client.post(f"/ussd/africastalking?{urlencode({'token': AT_TOKEN})}", data=form)


def ussd_texts() -> list[str]:
    """AT's cumulative `text` for each hop of USSD_REPORT (the first hop is empty)."""
    texts, so_far = [""], []
    for press in USSD_REPORT:
        so_far.append(press)
        texts.append("*".join(so_far))
    return texts


def storm(calls: list, times: int = 3, workers: int = 8) -> list:
    """Run every call `times` times, interleaved, on a thread pool; returns all results."""
    jobs = [c for c in calls for _ in range(times)]
    jobs = jobs[::2] + jobs[1::2]  # the copies of one call do not arrive side by side
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda call: call(), jobs))


def count(services, model, *where) -> int:
    with services.db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def counts(services) -> dict[str, int]:
    return {
        "intakes": count(services, Intake),
        "cases": count(services, Case),
        "confirmations": count(services, Message, Message.purpose == "confirmation"),
    }
