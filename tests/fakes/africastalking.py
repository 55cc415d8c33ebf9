"""A fake of Africa's Talking's SMS API (`POST /version1/messaging`, protocols.md A2.1).

It checks the `apiKey` header and username, answers per recipient with the status code set in
`statuses` (101 Success by default), and keeps the messages it accepted in `sent`. Its JSON
answers carry the bare `application/json` type the SDK needs (protocols.md §0.2)."""

from __future__ import annotations

import uuid

from flask import Response, jsonify, request

from .server import FakeServer

NAMES = {
    100: "Processed",
    101: "Success",
    102: "Queued",
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}


class FakeAfricasTalking(FakeServer):
    def __init__(self, username: str, api_key: str):
        super().__init__("fake-africastalking")
        self.username = username
        self.api_key = api_key
        self.statuses: dict[str, int] = {}
        self.sent: list[dict[str, str]] = []
        self.app.post("/version1/messaging")(self._messaging)

    @property
    def api_url(self) -> str:
        return f"{self.url}/version1"

    def reset(self) -> None:
        super().reset()
        self.statuses.clear()
        self.sent.clear()

    def _messaging(self):
        if request.headers.get("apiKey") != self.api_key:
            return Response("The supplied authentication is invalid", status=401)
        form = request.form
        if form.get("username") != self.username:
            return Response("Invalid username", status=401)
        recipients = []
        for number in form.get("to", "").split(","):
            code = self.statuses.get(number, 101)
            message_id = f"ATXid_{uuid.uuid4().hex}" if code < 400 else "None"
            if code < 400:
                self.sent.append(
                    {
                        "to": number,
                        "message": form.get("message", ""),
                        "from": form.get("from", ""),
                        "id": message_id,
                    }
                )
            recipients.append(
                {
                    "statusCode": code,
                    "number": number,
                    "status": NAMES.get(code, "Unknown"),
                    "cost": "KES 0.8000" if code < 400 else "0",
                    "messageId": message_id,
                }
            )
        accepted = sum(1 for r in recipients if r["statusCode"] < 400)
        body = {
            "SMSMessageData": {
                "Message": f"Sent to {accepted}/{len(recipients)} Total Cost: KES 0.8000",
                "Recipients": recipients,
            }
        }
        return jsonify(body), 201

    def failure(self, status: int) -> Response:
        return Response("Internal Server Error", status=status, mimetype="text/plain")
