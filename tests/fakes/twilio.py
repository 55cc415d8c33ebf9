"""A fake of Twilio's Messages API (`POST /2010-04-01/Accounts/<sid>/Messages.json`) and of
the files of incoming messages (`…/Messages/<MM>/Media/<ME>`, `add_media`).

It checks HTTP Basic auth (account SID and auth token), refuses numbers listed in `errors`
with Twilio's error JSON, and keeps the messages it accepted in `sent`."""

from __future__ import annotations

import uuid

from flask import Response, jsonify, request

from .server import FakeServer

ERROR_MESSAGES = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    20429: "Too Many Requests",
}


class FakeTwilio(FakeServer):
    def __init__(self, account_sid: str, auth_token: str):
        super().__init__("fake-twilio")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.errors: dict[str, int] = {}
        self.sent: list[dict[str, str]] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.app.post("/2010-04-01/Accounts/<sid>/Messages.json")(self._create)
        self.app.get("/2010-04-01/Accounts/<sid>/Messages/<mm>/Media/<me>")(self._media)

    def reset(self) -> None:
        super().reset()
        self.errors.clear()
        self.sent.clear()
        self.media.clear()

    def add_media(self, content: bytes, content_type: str) -> str:
        """Serve a file of an incoming message; returns its `MediaUrl`."""
        me = "ME" + uuid.uuid4().hex
        self.media[me] = (content, content_type)
        mm = "MM" + uuid.uuid4().hex
        return f"{self.url}/2010-04-01/Accounts/{self.account_sid}/Messages/{mm}/Media/{me}"

    def _media(self, sid: str, mm: str, me: str):
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return self._error(401, 20003, "Authenticate")
        if me not in self.media:
            return self._error(404, 20404, "The requested resource was not found")
        content, content_type = self.media[me]
        return Response(content, mimetype=content_type)

    def _error(self, status: int, code: int, message: str) -> Response:
        body = {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
        return jsonify(body), status

    def _create(self, sid: str):
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
            return self._error(401, 20003, "Authenticate")
        if sid != self.account_sid:
            return self._error(404, 20404, "The requested resource was not found")
        form = request.form
        to = form.get("To", "")
        if to in self.errors:
            code = self.errors[to]
            status = 429 if code == 20429 else 400
            return self._error(status, code, ERROR_MESSAGES.get(code, "refused") + f" {to}")
        message_sid = "SM" + uuid.uuid4().hex
        self.sent.append(
            {
                "to": to,
                "message": form.get("Body", ""),
                "from": form.get("From", ""),
                "id": message_sid,
                "status_callback": form.get("StatusCallback", ""),
                "content_sid": form.get("ContentSid", ""),
                "content_variables": form.get("ContentVariables", ""),
            }
        )
        body = {
            "sid": message_sid,
            "account_sid": sid,
            "to": to,
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "price": None,
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
        }
        return jsonify(body), 201

    def failure(self, status: int) -> Response:
        return self._error(status, 20500, "Internal Server Error")
