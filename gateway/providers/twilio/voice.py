"""Twilio voice (protocols.md B2-B4): the webhooks of a call, and outbound calls.

- `POST /voice/twilio`: the number's "A call comes in" URL; also where our callback calls start.
- `POST /voice/twilio/step?n=…`: the `<Gather>`/`<Record>` actions of each step.
- `POST /voice/twilio/status`: the "Call status changes" URL; closes the call record.

Every request must carry a valid `X-Twilio-Signature` when TWILIO_AUTH_TOKEN is set.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from casebridge.channel_events import CallEnd, VoiceStep
from casebridge.messaging import PermanentSendError, RetryableSendError
from casebridge.settings import Settings
from ivr_scripts import urls
from ivr_scripts.render_twiml import to_twiml
from ivr_scripts.step import Step

from ...voice import calls, fields, links
from ...voice import metrics as voice_metrics
from ...voice.jobs import MAX_RECORDING_BYTES
from ...voice.store import valid_call_id
from ...webhooks import twilio_signature_required
from ..media import download

NAME = "twilio"
PATH = "/voice/twilio"
RECORDING_HOSTS = (".twilio.com",)
"""Where Twilio's recordings live, beside TWILIO_API_URL's host."""
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
HTTP_TIMEOUT = 10

blueprint = Blueprint("twilio_voice", __name__, url_prefix=PATH)


@blueprint.record_once
def _install_metrics(state) -> None:
    voice_metrics.install(state.app)


def can_dial(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from)


def adapter(settings: Settings) -> calls.Adapter:
    def render(step: Step, seq: int) -> str:
        action = links.public(settings, f"{PATH}/step", n=seq)
        return to_twiml(step, action, links.audio_base(settings))

    return calls.Adapter(NAME, render, can_dial)


def _twiml(xml: str) -> Response:
    return Response(xml, mimetype="text/xml")


@blueprint.post("")
@blueprint.post("/step")
@twilio_signature_required
def call() -> Response:
    services = current_app.extensions["services"]
    voice = adapter(services.settings)
    return _twiml(calls.guarded(voice, lambda: _answer(services, voice)))


def _answer(services, voice: calls.Adapter) -> str:
    form = request.form
    call_id = form.get("CallSid", "")
    if not valid_call_id(call_id):
        return voice.farewell()
    inbound = (form.get("Direction") or "inbound") == "inbound"
    event = VoiceStep(
        provider=NAME,
        call_id=call_id,
        phone=fields.caller(form.get("From") if inbound else form.get("To")),
        our_number=form.get("To") if inbound else form.get("From"),
        digits=fields.digits(form.get("Digits")),
        recording_url=fields.recording_url(form.get("RecordingUrl")),
        recording_duration=fields.seconds(form.get("RecordingDuration")),
        timed_out=urls.is_no_input(request.args),
    )
    return calls.answer(services, voice, event, links.step_number(request.args), inbound)


@blueprint.post("/status")
@twilio_signature_required
def status() -> Response:
    """Twilio's status callback: a final status closes the call record."""
    services = current_app.extensions["services"]
    voice = adapter(services.settings)
    return _twiml(calls.guarded(voice, lambda: _close(services)))


def _close(services) -> str:
    form = request.form
    call_id, status_ = form.get("CallSid", ""), form.get("CallStatus", "")
    if valid_call_id(call_id) and status_ in FINAL_STATUSES:
        inbound = (form.get("Direction") or "inbound") == "inbound"
        end = CallEnd(
            provider=NAME,
            call_id=call_id,
            status=status_,
            cause=status_,
            cause_label=status_,  # one of FINAL_STATUSES, its only word for why it ended
            duration=fields.seconds(form.get("CallDuration")),
            phone=fields.caller(form.get("From") if inbound else form.get("To")) or None,
        )
        calls.finish(services, end)
    return calls.EMPTY_RESPONSE


def place_call(settings: Settings, phone: str) -> str:
    """Call `phone` from TWILIO_FROM; the call starts at `/voice/twilio`. Returns its CallSid."""
    if not can_dial(settings):
        raise PermanentSendError("Twilio voice is not configured (account, token, from)")
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=TwilioHttpClient(timeout=HTTP_TIMEOUT),
    )
    client.api.base_url = settings.twilio_api_url.rstrip("/")
    try:
        created = client.calls.create(
            to=phone,
            from_=settings.twilio_from,
            url=links.public(settings, PATH),
            method="POST",
            status_callback=links.public(settings, f"{PATH}/status"),
            status_callback_method="POST",
        )
    except TwilioRestException as exc:
        error = RetryableSendError if exc.status == 429 or exc.status >= 500 else PermanentSendError
        raise error(exc.msg, code=str(exc.code or exc.status)) from exc
    return created.sid


def fetch_recording(settings: Settings, url: str) -> tuple[bytes, str]:
    """A recording's audio, only from Twilio's own hosts; Twilio's API host gets the account's
    credentials (for accounts that enforce HTTP auth on media), no other host ever does."""
    auth = None
    ours = urlsplit(settings.twilio_api_url).netloc
    if settings.twilio_account_sid and settings.twilio_auth_token and urlsplit(url).netloc == ours:
        auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    return download(url, (ours, *RECORDING_HOSTS), MAX_RECORDING_BYTES, auth=auth)
