"""A phone on Africa's Talking, driving `POST /ussd/africastalking` through the test client.

Every reply is checked as AT and the handset need it: 200, text/plain, `CON `/`END `, at most
182 GSM-7 characters after the prefix.
"""

from __future__ import annotations

import uuid

from casebridge.gsm import is_gsm7, septets
from ussd_menus.screens import LIMIT

CALLER = "+6281234567890"
OTHER_PHONE = "+6285712345678"
URL = "/ussd/africastalking"
EVENTS_URL = "/ussd/africastalking/events"


def assert_ussd_reply(resp) -> str:
    """The reply's body, after checking it is a USSD screen AT can show."""
    assert resp.status_code == 200, (resp.status_code, resp.get_data(as_text=True))
    assert resp.mimetype == "text/plain"
    body = resp.get_data(as_text=True)
    assert body.startswith(("CON ", "END ")), body
    screen = body[4:]
    assert screen and not screen.startswith(" "), body
    assert is_gsm7(screen), screen
    assert septets(screen) <= LIMIT, (septets(screen), screen)
    return body


def new_session_id(tag: str = "") -> str:
    return f"ATUid_{tag}{uuid.uuid4().hex}"


class Phone:
    """One USSD session: `dial()`, then `press(...)`; `text` is AT's cumulative `text`."""

    def __init__(self, client, phone: str = CALLER, session_id: str | None = None, token=None):
        self.client = client
        self.phone = phone
        self.session_id = session_id or new_session_id()
        self.query = {"token": token} if token else {}
        self.text = ""
        self.reply = ""
        self.hops = 0

    def form(self, **changes) -> dict[str, str]:
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*123#",
            "phoneNumber": self.phone,
            "networkCode": "99999",
            "text": self.text,
        }
        form.update(changes)
        return form

    def post(self) -> str:
        resp = self.client.post(URL, query_string=self.query, data=self.form())
        self.reply = assert_ussd_reply(resp)
        self.hops += 1
        return self.reply

    def dial(self) -> str:
        self.text = ""
        return self.post()

    def press(self, *inputs: str) -> str:
        for typed in inputs:
            self.text = f"{self.text}*{typed}" if self.text else typed
            self.post()
        return self.reply

    def retry(self) -> str:
        """The provider sends the last hop again."""
        return self.post()

    def hang_up(self, status: str = "Incomplete", **extra) -> int:
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*123#",
            "phoneNumber": self.phone,
            "networkCode": "99999",
            "status": status,
            "hopsCount": str(self.hops),
            "durationInMillis": "45000",
            "date": "2025-01-01 10:00:00",
            "cost": "0.0",
            **extra,
        }
        resp = self.client.post(EVENTS_URL, query_string=self.query, data=form)
        return resp.status_code
