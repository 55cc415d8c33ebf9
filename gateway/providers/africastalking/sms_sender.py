"""Sending SMS through Africa's Talking's official SDK, pointed at `AT_API_URL`.

The SDK has no setting for its base URL (protocols.md A4): each send builds its own SDK
`SMSService` and points it at the configured URL. A private instance, unlike
`africastalking.initialize()`, touches no module globals another thread may be using."""

from __future__ import annotations

import json
from typing import Any

import requests
from africastalking import SMSService
from africastalking.Service import AfricasTalkingException

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError, SendResult
from gateway.providers.base import UnknownStatus, scrub

from ..base import OPTED_OUT, RETRY, SENT
from .sms_status import SEND_STATUS

NAME = "africastalking"
TIMEOUT = (3.05, 10)
"""Seconds to connect, and to wait for the answer."""


class AfricasTalkingSender:
    name = NAME

    def __init__(self, username: str, api_key: str, api_url: str, sender_id: str | None = None):
        self.username = username
        self._api_key = api_key
        self.api_url = api_url.rstrip("/")
        self.sender_id = sender_id

    def __repr__(self) -> str:
        return f"AfricasTalkingSender(username={self.username!r}, api_url={self.api_url!r})"

    def _service(self) -> SMSService:
        service = SMSService(self.username, self._api_key)
        service._baseUrl = self.api_url
        service._contentUrl = self.api_url
        return service

    def send(self, message: OutboundSms) -> SendResult:
        try:
            response = self._service().send(
                message.body,
                [message.to],
                sender_id=message.our_number or self.sender_id,
                timeout=TIMEOUT,
            )
        except ValueError as exc:  # the SDK's own check of the number
            raise PermanentSendError(scrub(str(exc)), code="InvalidPhoneNumber") from None
        except AfricasTalkingException as exc:  # any non-2xx answer
            raise RetryableSendError(f"HTTP error: {scrub(str(exc), 200)}", code="http") from None
        except requests.RequestException as exc:
            raise RetryableSendError(f"network: {type(exc).__name__}", code="network") from None
        return read_response(response)


def read_response(response: Any) -> SendResult:
    """The result for the one recipient of a send, or the send error it means."""
    if isinstance(response, str):  # the SDK returns text unless the type is exactly JSON
        try:
            response = json.loads(response)
        except ValueError:
            raise RetryableSendError("unreadable answer from the SMS API", code="body") from None
    data = response.get("SMSMessageData") if isinstance(response, dict) else None
    recipients = (data or {}).get("Recipients") or []
    if not recipients:
        reason = scrub(str((data or {}).get("Message") or "no recipient in the answer"))
        raise PermanentSendError(f"not sent: {reason}", code="NoRecipients")
    recipient = recipients[0]
    try:
        name, outcome = SEND_STATUS[int(recipient.get("statusCode"))]
    except (TypeError, ValueError, UnknownStatus) as exc:
        raise PermanentSendError(str(exc), code=str(recipient.get("statusCode"))) from None
    if outcome == SENT:
        return SendResult(provider_message_id=recipient.get("messageId"), status="sent")
    if outcome == RETRY:
        raise RetryableSendError(f"not sent: {name}", code=name)
    raise PermanentSendError(f"not sent: {name}", code=name, opted_out=outcome == OPTED_OUT)
