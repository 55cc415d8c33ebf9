"""A fake of Meta's Graph API for WhatsApp: `POST /v21.0/<phone-number-id>/messages` (recorded
in `sent`), `GET /v21.0/<media-id>` (the media's short-lived URL, size and type) and that URL
(the file). Every call must carry `Authorization: Bearer <token>`; a number listed in `errors`
is refused with Meta's error JSON (its code; 131047, outside the window, refuses all but
templates)."""

from __future__ import annotations

import hashlib
import uuid

from flask import Response, jsonify, request

from .server import FakeServer

VERSION = "v21.0"
ERROR_TITLES = {
    131047: "Re-engagement message",
    131026: "Message undeliverable",
    130429: "Rate limit hit",
    131000: "Something went wrong",
}


class FakeGraphApi(FakeServer):
    def __init__(self, token: str, phone_number_id: str):
        super().__init__("fake-graph-api")
        self.token, self.phone_number_id = token, phone_number_id
        self.errors: dict[str, int] = {}
        self.sent: list[dict] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.declared_sizes: dict[str, int] = {}
        self.media_failures = 0
        """How many of the next media look-ups answer 500."""
        self.media_host: str | None = None
        """Another host to point media URLs at (a host that is not Meta's)."""
        self.app.post(f"/{VERSION}/<number_id>/messages")(self._send)
        self.app.get(f"/{VERSION}/<media_id>")(self._media_info)
        self.app.get("/media-file/<media_id>")(self._media_file)

    @property
    def api_url(self) -> str:
        return f"{self.url}/{VERSION}"

    def reset(self) -> None:
        super().reset()
        self.errors.clear()
        self.sent.clear()
        self.media.clear()
        self.declared_sizes.clear()
        self.media_failures = 0
        self.media_host = None

    def add_media(self, content: bytes, content_type: str, declared_size: int | None = None) -> str:
        """Serve a file; returns its media id."""
        media_id = str(uuid.uuid4().int)[:16]
        self.media[media_id] = (content, content_type)
        if declared_size is not None:
            self.declared_sizes[media_id] = declared_size
        return media_id

    def _authorised(self) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    def _error(self, status: int, code: int, message: str):
        body = {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "A" + uuid.uuid4().hex[:20],
            }
        }
        return jsonify(body), status

    def _send(self, number_id: str):
        if not self._authorised():
            return self._error(401, 190, "Invalid OAuth access token")
        if number_id != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request")
        data = request.get_json(silent=True) or {}
        to = str(data.get("to", ""))
        if to in self.errors and not (self.errors[to] == 131047 and data.get("type") == "template"):
            code = self.errors[to]  # outside the window, as Meta, templates still pass
            status = 429 if code == 130429 else 400
            return self._error(status, code, ERROR_TITLES.get(code, "refused"))
        wamid = "wamid." + uuid.uuid4().hex
        self.sent.append({"to": to, "id": wamid, "payload": data})
        return jsonify(
            messaging_product="whatsapp",
            contacts=[{"input": to, "wa_id": to}],
            messages=[{"id": wamid}],
        )

    def _media_info(self, media_id: str):
        if not self._authorised():
            return self._error(401, 190, "Invalid OAuth access token")
        if self.media_failures:
            self.media_failures -= 1
            return self.failure(500)
        if media_id not in self.media:
            return self._error(404, 100, "Unknown media")
        content, content_type = self.media[media_id]
        host = self.media_host or self.url
        return jsonify(
            messaging_product="whatsapp",
            url=f"{host}/media-file/{media_id}",
            mime_type=content_type,
            sha256=hashlib.sha256(content).hexdigest(),
            file_size=self.declared_sizes.get(media_id, len(content)),
            id=media_id,
        )

    def _media_file(self, media_id: str):
        if not self._authorised():
            return Response("unauthorised\n", status=401)
        if media_id not in self.media:
            return Response("not found\n", status=404)
        content, content_type = self.media[media_id]
        return Response(content, mimetype=content_type)

    def failure(self, status: int) -> Response:
        return self._error(status, 131000, "Something went wrong")


def shown(sent: dict) -> str:
    """A send as a person reads it: the text, `[buttons]`/`[list]` and a question with its
    numbered choices, or the template with its parameters."""
    data = sent["payload"]
    kind = data.get("type")
    if kind == "text":
        return data["text"]["body"]
    if kind == "template":
        params = [p["text"] for c in data["template"]["components"] for p in c["parameters"]]
        return f"[template {data['template']['name']}] " + " ".join(params)
    shaped = data["interactive"]
    if shaped["type"] == "button":
        rows = [b["reply"] for b in shaped["action"]["buttons"]]
    else:
        rows = [r for s in shaped["action"]["sections"] for r in s["rows"]]
    head = f"[{'buttons' if shaped['type'] == 'button' else 'list'}] {shaped['body']['text']}"
    return "\n".join([head, *(f"{r['id']} {r['title']}" for r in rows)])
