"""The USSD line as a scenario driver: phones on Africa's Talking dialling the app.

Actions: `dial: A` (a new session named A; `dial: {name: B, phone: "+62..."}` from another
phone), `press: "1"` (typed on the current session's screen), `retry: true` (AT sends the last
hop again), `hang_up: {status: Success|Incomplete|Failed}` (AT's end-of-session notification),
`jobs: true`. The reply is the whole body (`CON …`/`END …`). Check: `resume: {phone: bool}`,
whether a phone is offered to continue a report.
"""

from __future__ import annotations

from scenarios.runner import Driver

from gateway.ussd.store import resume_key
from tests.conftest import phone_index

from .phone import CALLER, Phone, new_session_id


class UssdDriver(Driver):
    actions = ("dial", "press", "retry", "hang_up", "jobs")
    checks = ("resume",)

    def __init__(self, client, jobs, services):
        super().__init__()
        self.client, self.jobs, self.services = client, jobs, services
        self.phone: Phone | None = None

    def act(self, action: str, arg):
        if action == "dial":
            spec = arg if isinstance(arg, dict) else {"name": arg}
            name = str(spec["name"])
            self.phone = Phone(self.client, spec.get("phone", CALLER), new_session_id(name))
            self.sessions[name] = self.phone.session_id
            return self.phone.dial()
        if action == "press":
            return self.phone.press(str(arg))
        if action == "retry":
            return self.phone.retry()
        if action == "hang_up":
            assert self.phone.hang_up(**arg) == 200
            return None
        self.jobs.run()
        return None

    def check(self, key: str, arg, where: str) -> None:
        for phone, offered in arg.items():
            found = bool(self.services.redis.exists(resume_key(phone_index(phone))))
            assert found == offered, f"{where}: resume offer for {phone}: {found}"
