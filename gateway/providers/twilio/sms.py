"""Twilio SMS: incoming messages and status callbacks (the only place that knows Twilio's
field names, protocols.md B1), and the outbound sender.

    POST /sms/twilio         MessageSid, From, To, Body, …   -> TwiML (always `<Response/>`:
                                                                replies leave through the outbox)
    POST /sms/twilio/status  MessageSid, MessageStatus, ErrorCode, …

With TWILIO_AUTH_TOKEN set, both need a valid `X-Twilio-Signature` (403 otherwise); a missing
field is a 400. `From=whatsapp:+…` is WhatsApp through Twilio: the same conversation, its
replies to the `whatsapp:` address (the `To` it wrote to is kept as our number). The files of
an MMS or WhatsApp message (`MediaUrl0..N`, `MediaContentType0..N`) are kept as attachments,
so a message with only a photo is taken too. A `MessageStatus` we do not know is acknowledged
and kept raw on the message, whose state it does not move; a failure with a retryable
`ErrorCode` is sent again, 63016 (outside WhatsApp's window) holds it and sends the template."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from casebridge import whatsapp
from casebridge.attachments import Media
from casebridge.channel_events import DeliveryReport, InboundSms
from casebridge.settings import Settings
from gateway.providers.base import UNKNOWN, WebhookError, bad_request, optional, required
from gateway.sms import inbound
from gateway.webhooks import twilio_signature_required

from ..media import download
from .sms_sender import NAME, TwilioSender
from .sms_status import (
    DELIVERY_STATUS,
    ERROR_WORDS,
    OPTED_OUT_CODES,
    OUTSIDE_WINDOW_CODES,
    retryable,
)

blueprint = Blueprint("twilio_sms", __name__)
STATUS_PATH = "/sms/twilio/status"
_META = {"NumMedia": "num_media", "FromCountry": "from_country", "AccountSid": "account_sid"}
MAX_MEDIA = 10
"""Twilio carries at most 10 files a message."""


def media(form: Mapping[str, str]) -> tuple[Media, ...]:
    """The files of a message: `MediaUrl<i>` with `MediaContentType<i>`, i < NumMedia."""
    count = optional(form, "NumMedia") or "0"
    if not count.isdigit():
        raise WebhookError("field 'NumMedia' is not a number")
    found = []
    for i in range(min(int(count), MAX_MEDIA)):
        url = required(form, f"MediaUrl{i}")
        found.append(Media(url, optional(form, f"MediaContentType{i}")))
    return tuple(found)


def parse_incoming(form: Mapping[str, str]) -> InboundSms:
    files = media(form)
    if "Body" not in form and not files:
        raise WebhookError("missing field 'Body'")
    sender = required(form, "From")
    our_number = optional(form, "To")
    if sender.startswith(whatsapp.ADDRESS_PREFIX):
        sender = sender.removeprefix(whatsapp.ADDRESS_PREFIX)
        if our_number and not our_number.startswith(whatsapp.ADDRESS_PREFIX):
            our_number = whatsapp.ADDRESS_PREFIX + our_number
    return InboundSms(
        provider=NAME,
        provider_message_id=required(form, "MessageSid"),
        phone=sender,
        our_number=our_number,
        text=form.get("Body", ""),
        meta={ours: form[theirs] for theirs, ours in _META.items() if form.get(theirs)},
        media=files,
    )


def parse_status(form: Mapping[str, str]) -> DeliveryReport | None:
    """The delivery report a status callback holds; None for states of inbound messages. A
    failure for a passing reason (a rate limit) is `retry`; a status we do not know, `unknown`."""
    word = required(form, "MessageStatus")
    status = DELIVERY_STATUS.get(word, UNKNOWN)
    sid = required(form, "MessageSid")
    if status is None:
        return None
    code = optional(form, "ErrorCode")
    error = None
    if status == "failed":
        error = f"Twilio {code}: {ERROR_WORDS.get(code, 'failed')}" if code else "failed"
        if retryable(code):
            status = "retry"
        elif code in OUTSIDE_WINDOW_CODES:
            status = whatsapp.REENGAGE
    return DeliveryReport(
        NAME, sid, status, error=error, opted_out=code in OPTED_OUT_CODES, provider_status=word
    )


def twiml(response: MessagingResponse | None = None) -> Response:
    return Response(str(response or MessagingResponse()), mimetype="application/xml")


@blueprint.post("/sms/twilio")
@twilio_signature_required
def incoming():
    try:
        inbound.receive(current_app.extensions["services"], parse_incoming(request.form))
    except WebhookError as exc:
        return bad_request(exc)
    return twiml()


@blueprint.post(STATUS_PATH)
@twilio_signature_required
def status():
    try:
        report = parse_status(request.form)
    except WebhookError as exc:
        return bad_request(exc)
    if report is not None:
        inbound.delivery(current_app.extensions["services"], report)
    return Response("", status=204)


def make_sender(settings: Settings) -> TwilioSender | None:
    """The Twilio sender, or None when TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN are not set."""
    if not settings.twilio_account_sid or not settings.twilio_auth_token:
        return None
    return TwilioSender(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_api_url,
        settings.twilio_from,
        settings.public_base_url.rstrip("/") + STATUS_PATH,
    )


MEDIA_HOSTS = ("api.twilio.com", ".twiliocdn.com", ".twilio.com")
"""Where Twilio serves a message's files (the API, which redirects to its media CDN)."""


def fetch_media(settings: Settings, url: str, limit: int) -> tuple[bytes, str]:
    """A file of an incoming message, from Twilio's own hosts (TWILIO_API_URL's too), with the
    account's credentials (Twilio's *Enforce HTTP Auth on Media URLs*)."""
    if not settings.twilio_account_sid or not settings.twilio_auth_token:
        raise RuntimeError("TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN are not set")
    hosts = (urlsplit(settings.twilio_api_url).netloc, *MEDIA_HOSTS)
    auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    return download(url, hosts, limit, auth=auth)
