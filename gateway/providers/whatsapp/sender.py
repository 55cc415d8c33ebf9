"""Sending through the WhatsApp Cloud API: `POST {WHATSAPP_API_URL}/{phone-number-id}/messages`
with the bearer token (protocols.md F).

Meta publishes no official Python SDK (its official one is for Node), and the community clients
(pywa, heyoo) are frameworks of their own around the same few JSON calls; `requests`, already a
dependency, with one Session, timeouts and our own small payload builder is less to trust.

A message's `meta` says what it is: `choices` (a question's numbered choices, sent as reply
buttons or a list, the numbered text being the fallback) or `template` (the neutral status
template outside the messaging window); anything else is plain text."""

from __future__ import annotations

from typing import Any

import requests

from casebridge.messaging import (
    OutboundSms,
    OutsideWindowError,
    PermanentSendError,
    RetryableSendError,
    SendResult,
)
from casebridge.whatsapp import PROVIDER, REENGAGE

from ..base import OPTED_OUT, RETRY, scrub
from .status import outcome

NAME = PROVIDER
TIMEOUT = (5, 15)
MAX_BUTTONS, BUTTON_TITLE = 3, 20
MAX_ROWS, ROW_TITLE, ROW_DESCRIPTION = 10, 24, 72
MAX_BODY, MAX_INTERACTIVE_BODY = 4096, 1024


def digits(phone: str) -> str:
    """WhatsApp ids are the number's digits without `+`."""
    return "".join(c for c in phone if c.isdigit())


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def interactive(choices: dict[str, Any]) -> dict[str, Any] | None:
    """Reply buttons (at most 3, titles of at most 20 characters) or a list (at most 10 rows,
    titles of at most 24, longer labels kept in the row's description); None when the
    choices fit neither (the numbered text is sent)."""
    rows = choices.get("rows") or []
    head = str(choices.get("head") or "")[:MAX_INTERACTIVE_BODY]
    if not rows or not head:
        return None
    if len(rows) <= MAX_BUTTONS and all(len(r["title"]) <= BUTTON_TITLE for r in rows):
        buttons = [{"type": "reply", "reply": {"id": r["id"], "title": r["title"]}} for r in rows]
        return {"type": "button", "body": {"text": head}, "action": {"buttons": buttons}}
    if len(rows) > MAX_ROWS:
        return None
    listed = []
    for r in rows:
        row = {"id": r["id"], "title": _short(r["title"], ROW_TITLE)}
        if len(r["title"]) > ROW_TITLE:
            row["description"] = _short(r["title"], ROW_DESCRIPTION)
        listed.append(row)
    button = _short(str(choices.get("button") or "…"), BUTTON_TITLE)
    return {
        "type": "list",
        "body": {"text": head},
        "action": {"button": button, "sections": [{"title": _short(head, 24), "rows": listed}]},
    }


def payload(to: str, body: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON of one send (pure; tested with whole outputs)."""
    base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": digits(to)}
    template = meta.get("template")
    if template:
        params = [{"type": "text", "text": str(p)} for p in template.get("params", [])]
        return {
            **base,
            "type": "template",
            "template": {
                "name": template["name"],
                "language": {"code": template.get("language") or "id"},
                "components": [{"type": "body", "parameters": params}] if params else [],
            },
        }
    shaped = interactive(meta["choices"]) if meta.get("choices") else None
    if shaped is not None:
        return {**base, "type": "interactive", "interactive": shaped}
    return {**base, "type": "text", "text": {"body": body[:MAX_BODY], "preview_url": False}}


class WhatsAppSender:
    name = NAME

    def __init__(self, token: str, phone_number_id: str, api_url: str):
        self.url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:
        return f"WhatsAppSender(url={self.url!r})"

    def send(self, message: OutboundSms) -> SendResult:
        try:
            res = self.http.post(
                self.url, json=payload(message.to, message.body, message.meta), timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise RetryableSendError(f"network: {type(exc).__name__}", code="network") from None
        try:
            data = res.json()
        except ValueError:
            data = {}
        if res.ok:
            try:
                return SendResult(provider_message_id=str(data["messages"][0]["id"]))
            except (KeyError, IndexError, TypeError):
                raise RetryableSendError("answer without a message id", code="no_id") from None
        raise send_error(res.status_code, data if isinstance(data, dict) else {})


def send_error(status: int, data: dict[str, Any]) -> Exception:
    """What a refused send means: by Meta's error code, else by the HTTP status."""
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    code = error.get("code")
    label = str(code) if code is not None else "error"
    text = f"HTTP {status}: WhatsApp {label}: " + scrub(str(error.get("message") or "refused"), 200)
    decided = outcome(code)
    if decided == REENGAGE:
        return OutsideWindowError(text, code=label)
    if decided is None:
        decided = RETRY if status == 429 or status >= 500 else None
    if decided == RETRY:
        return RetryableSendError(text, code=label)
    return PermanentSendError(text, code=label, opted_out=decided == OPTED_OUT)
