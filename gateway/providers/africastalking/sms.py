"""Africa's Talking SMS: incoming messages and delivery reports (the only place that knows AT's
field names, protocols.md A2), and the outbound sender.

    POST /sms/africastalking            from, to, text, id, date, linkId, networkCode
    POST /sms/africastalking/delivery   id, status, failureReason, phoneNumber, networkCode

Both answer 200 with an empty body (AT reads nothing from it), 400 when a field is missing, 403
without the `?token=` that AT_WEBHOOK_TOKEN asks for. A delivery status we do not know is
acknowledged and kept raw on the message, whose state it does not move."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, current_app, request

from casebridge.channel_events import DeliveryReport, InboundSms
from casebridge.settings import Settings
from gateway.providers.base import UNKNOWN, WebhookError, bad_request, optional, required
from gateway.sms import inbound
from gateway.webhooks import at_token_required

from .sms_sender import NAME, AfricasTalkingSender
from .sms_status import DELIVERY_STATUS, OPTED_OUT_REASONS

blueprint = Blueprint("africastalking_sms", __name__)
_META = {"linkId": "link_id", "networkCode": "network_code", "date": "date"}


def parse_incoming(form: Mapping[str, str]) -> InboundSms:
    if "text" not in form:
        raise WebhookError("missing field 'text'")
    return InboundSms(
        provider=NAME,
        provider_message_id=required(form, "id"),
        phone=required(form, "from"),
        our_number=optional(form, "to"),
        text=form["text"],
        meta={ours: form[theirs] for theirs, ours in _META.items() if form.get(theirs)},
    )


def parse_delivery(form: Mapping[str, str]) -> DeliveryReport:
    """The report a delivery callback holds; a status we do not know is `unknown`."""
    word = required(form, "status")
    status = DELIVERY_STATUS.get(word, UNKNOWN)
    reason = optional(form, "failureReason")
    return DeliveryReport(
        provider=NAME,
        provider_message_id=required(form, "id"),
        status=status,
        error=(reason or "delivery failed") if status == "failed" else None,
        opted_out=reason in OPTED_OUT_REASONS,
        provider_status=word,
    )


def _ok() -> Response:
    return Response("", status=200, mimetype="text/plain")


@blueprint.post("/sms/africastalking")
@at_token_required
def incoming():
    try:
        inbound.receive(current_app.extensions["services"], parse_incoming(request.form))
    except WebhookError as exc:
        return bad_request(exc)
    return _ok()


@blueprint.post("/sms/africastalking/delivery")
@at_token_required
def delivery():
    try:
        inbound.delivery(current_app.extensions["services"], parse_delivery(request.form))
    except WebhookError as exc:
        return bad_request(exc)
    return _ok()


def make_sender(settings: Settings) -> AfricasTalkingSender | None:
    """The AT sender, or None when AT_USERNAME / AT_API_KEY are not set."""
    if not settings.at_username or not settings.at_api_key:
        return None
    return AfricasTalkingSender(
        settings.at_username, settings.at_api_key, settings.at_api_url, settings.at_sender_id
    )
