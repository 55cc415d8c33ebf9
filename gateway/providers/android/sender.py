"""Sending through the official `android-sms-gateway` client, with timeouts, through the phone
and SIM the person wrote to."""

from __future__ import annotations

import requests
from android_sms_gateway import APIClient, Message, TextMessage
from android_sms_gateway.errors import APIError
from android_sms_gateway.http import RequestsHttpClient

from casebridge.messaging import OutboundSms, PermanentSendError, RetryableSendError, SendResult
from casebridge.settings import Settings
from gateway.providers.base import FAIL, RETRY, StatusTable, UnknownStatus, scrub

from .phones import Phone, default_phone
from .protocol import NAME, parse_route

SEND_ERRORS: StatusTable[str] = StatusTable(
    "SMS Gateway for Android HTTP status",
    {
        400: FAIL,  # bad request: an invalid number, an empty text
        401: RETRY,  # wrong ANDROID_GATEWAY_LOGIN/PASSWORD: fixed by correcting the settings
        403: RETRY,
        404: RETRY,  # wrong ANDROID_GATEWAY_URL (e.g. without /3rdparty/v1)
        409: FAIL,
        413: FAIL,
        422: FAIL,
        429: RETRY,
    },
)
"""HTTP status of a refused send -> what we do. Others: 5xx retry, any other 4xx fails."""

REFUSED_STATES = frozenset({"Failed", "Cancelled", "Cancelling"})
"""Recipient states in the send's answer that mean the phone will not send it."""

TIMEOUT = (3.05, 15)
"""Seconds to connect to the phone (or relay), and to wait for its answer."""


class TimeoutSession(requests.Session):
    """The client sets no timeout; a phone that stopped answering must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def api_client(session: requests.Session, phone: Phone) -> APIClient:
    """The official client pointed at the phone's address, over a session with timeouts."""
    return APIClient(
        phone.login, phone.password, base_url=phone.url, http=RequestsHttpClient(session)
    )


class AndroidSender:
    """Sends through one phone (and the SIM the route names)."""

    name = NAME

    def __init__(self, phone: Phone):
        self.phone = phone

    def __repr__(self) -> str:  # never the password
        return f"AndroidSender(phone={self.phone.name!r}, url={self.phone.url!r})"

    def send(self, message: OutboundSms) -> SendResult:
        sim, device = parse_route(message.our_number)
        device = device or self.phone.device_id
        try:
            with TimeoutSession() as session, api_client(session, self.phone) as client:
                try:
                    state = client.send(self._message(message, sim, device))
                except APIError as exc:
                    if device is None or exc.status_code != 400:
                        raise
                    # that device may be gone from the relay: any phone of the account will do
                    state = client.send(self._message(message, sim, None))
        except APIError as exc:
            raise send_error(exc) from None
        except requests.JSONDecodeError:
            raise RetryableSendError("unreadable answer from the phone", code="body") from None
        except requests.RequestException as exc:
            raise RetryableSendError(f"network: {type(exc).__name__}", code="network") from None
        except (KeyError, TypeError, ValueError):
            raise RetryableSendError("unreadable answer from the phone", code="body") from None
        refused = [r for r in state.recipients if r.state.value in REFUSED_STATES]
        if refused:
            reason = scrub(refused[0].error or refused[0].state.value)
            raise PermanentSendError(f"phone refused: {reason}", code=refused[0].state.value)
        return SendResult(provider_message_id=state.id, status="sent")

    @staticmethod
    def _message(message: OutboundSms, sim: int | None, device: str | None) -> Message:
        return Message(
            phone_numbers=[message.to],
            text_message=TextMessage(text=message.body),
            sim_number=sim,
            device_id=device,
            with_delivery_report=True,
        )


def send_error(exc: APIError) -> RetryableSendError | PermanentSendError:
    """What a refused send means, by its HTTP status."""
    status = exc.status_code
    detail = exc.response.get("message") if isinstance(exc.response, dict) else None
    text = f"HTTP {status}: {scrub(str(detail or 'refused'), 200)}"
    try:
        outcome = SEND_ERRORS[status]
    except UnknownStatus:
        outcome = RETRY if status is None or status >= 500 else FAIL
    if outcome == RETRY:
        return RetryableSendError(text, code=str(status))
    return PermanentSendError(text, code=str(status))


def make_sender(settings: Settings) -> AndroidSender | None:
    """The default phone's sender, or None when ANDROID_GATEWAY_URL/LOGIN/PASSWORD are not
    all set."""
    phone = default_phone(settings)
    return None if phone is None else AndroidSender(phone)
