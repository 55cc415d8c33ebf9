"""Sending SMS through Twilio's official SDK, pointed at `TWILIO_API_URL`.

`client.api.base_url` is the SDK's own domain attribute, read on every request (protocols.md
B4); the HTTP client gets a timeout, which the SDK does not set by default."""

from __future__ import annotations

import requests
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError, SendResult
from gateway.providers.base import UnknownStatus, scrub

from ..base import OPTED_OUT, RETRY
from .sms_status import SEND_ERRORS

NAME = "twilio"
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
        try:
            created = self.client.messages.create(
                to=message.to, from_=sender, body=message.body, **options
            )
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
