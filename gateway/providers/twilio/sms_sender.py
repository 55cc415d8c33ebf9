"""Sending SMS (and WhatsApp, to `whatsapp:` addresses) through Twilio's official SDK, pointed
at `TWILIO_API_URL`. A WhatsApp reply leaves from the `whatsapp:` number the person wrote to;
outside the messaging window the template is a Twilio Content SID (WHATSAPP_TEMPLATE_STATUS),
its variable `1` the case reference.

`client.api.base_url` is the SDK's own domain attribute, read on every request (protocols.md
B4); the HTTP client gets a timeout, which the SDK does not set by default."""

from __future__ import annotations

import json

import requests
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError, SendResult
from gateway.providers.base import UnknownStatus, scrub

from ..base import OPTED_OUT, RETRY
from .sms_status import SEND_ERRORS

NAME = "twilio"
WHATSAPP = "whatsapp:"
TIMEOUT = 10.0


class TwilioSender:
    name = NAME

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        api_url: str,
        from_number: str | None = None,
        status_callback: str | None = None,
    ):
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=TIMEOUT))
        self.client.api.base_url = api_url.rstrip("/")
        self.from_number = from_number
        self.status_callback = status_callback

    def __repr__(self) -> str:
        return f"TwilioSender(api_url={self.client.api.base_url!r})"

    def send(self, message: OutboundSms) -> SendResult:
        sender = message.our_number or self.from_number
        if not sender:
            raise PermanentSendError("no Twilio number to send from (TWILIO_FROM)", code="no_from")
        options = {"status_callback": self.status_callback} if self.status_callback else {}
        to = message.to
        if sender.startswith(WHATSAPP):
            to = WHATSAPP + to.removeprefix(WHATSAPP)
            template = (message.meta or {}).get("template")
            if template:
                variables = {str(i): str(p) for i, p in enumerate(template.get("params", []), 1)}
                options |= {
                    "content_sid": template["name"],
                    "content_variables": json.dumps(variables),
                }
        if "content_sid" not in options:
            options["body"] = message.body
        try:
            created = self.client.messages.create(to=to, from_=sender, **options)
        except requests.RequestException as exc:
            raise RetryableSendError(f"network: {type(exc).__name__}", code="network") from None
        except TwilioException as exc:
            raise send_error(exc) from None
        return SendResult(provider_message_id=created.sid, status="sent")


def send_error(exc: Exception) -> RetryableSendError | PermanentSendError:
    """What a refused send means: by Twilio's error code, else by the HTTP status."""
    code = getattr(exc, "code", None)
    status = getattr(exc, "status", None)
    text = scrub(str(getattr(exc, "msg", None) or getattr(exc, "title", None) or "refused"))
    label = str(code) if code is not None else "error"
    try:
        outcome = SEND_ERRORS[int(code)]
    except (TypeError, ValueError, UnknownStatus):
        retry = status is None or status == 429 or int(status) >= 500
        outcome = RETRY if retry else None
    if outcome == RETRY:
        return RetryableSendError(f"HTTP {status}: {text}", code=label)
    return PermanentSendError(f"HTTP {status}: {text}", code=label, opted_out=outcome == OPTED_OUT)
