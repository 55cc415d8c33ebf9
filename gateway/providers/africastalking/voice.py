"""Africa's Talking voice (protocols.md A3-A5): the callbacks of a call, and outbound calls.

- `POST /voice/africastalking`: the voice callback URL of the AT number. Calls start here (ours
  too: AT calls the `from` number's URL when a callback call is answered).
- `POST /voice/africastalking/step?n=…`: the `callbackUrl` of each `<GetDigits>`/`<Record>`.

AT sends every notification of a call, the final one (`isActive=0`, with duration and hang-up
cause) included, to the URL in force at that moment, so both routes close calls. AT does not
sign requests: with AT_WEBHOOK_TOKEN set each must carry `?token=`, and our URLs carry it.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from africastalking.Service import AfricasTalkingException
from africastalking.Voice import VoiceService
from flask import Blueprint, Response, current_app, request

from casebridge.channel_events import CallEnd, VoiceStep
from casebridge.messaging import PermanentSendError, RetryableSendError
from casebridge.settings import Settings
from ivr_scripts import urls
from ivr_scripts.render_at import to_at_xml
from ivr_scripts.step import Step

from ...voice import callback, calls, fields, links
from ...voice import metrics as voice_metrics
from ...voice.jobs import MAX_RECORDING_BYTES
from ...voice.store import valid_call_id
from ...webhooks import at_token_required
from ..media import download

NAME = "africastalking"
PATH = "/voice/africastalking"
RECORDING_HOSTS = (".africastalking.com",)
"""Where AT's recordings live, beside AT_VOICE_URL's host."""
LIVE_VOICE_URL = "https://voice.africastalking.com"
HTTP_TIMEOUT = (3.05, 10)

blueprint = Blueprint("africastalking_voice", __name__, url_prefix=PATH)


@blueprint.record_once
def _install_metrics(state) -> None:
    voice_metrics.install(state.app)


def can_dial(settings: Settings) -> bool:
    return bool(settings.at_username and settings.at_api_key and settings.at_voice_number)


def adapter(settings: Settings) -> calls.Adapter:
    def render(step: Step, seq: int) -> str:
        url = links.public(settings, f"{PATH}/step", token=settings.at_webhook_token, n=seq)
        return to_at_xml(step, url, links.audio_base(settings))

    return calls.Adapter(NAME, render, can_dial)


@blueprint.post("")
@blueprint.post("/step")
@at_token_required
def call() -> Response:
    services = current_app.extensions["services"]
    voice = adapter(services.settings)
    xml = calls.guarded(voice, lambda: _answer(services, voice))
    return Response(xml, mimetype="application/xml")


def _answer(services, voice: calls.Adapter) -> str:
    form = request.form
    call_id = form.get("sessionId", "")
    if not valid_call_id(call_id):
        return voice.farewell()
    inbound = (form.get("direction") or "Inbound").lower() != "outbound"
    phone = _person(services, call_id, inbound)
    event = VoiceStep(
        provider=NAME,
        call_id=call_id,
        phone=phone,
        our_number=form.get("destinationNumber") if inbound else form.get("callerNumber"),
        digits=fields.digits(form.get("dtmfDigits")),
        recording_url=fields.recording_url(form.get("recordingUrl")),
        recording_duration=fields.seconds(form.get("recordingDuration")),
        timed_out=urls.is_no_input(request.args),
        active=form.get("isActive", "1") != "0",
    )
    seq = links.step_number(request.args)
    if event.active:
        return calls.answer(services, voice, event, seq, inbound)
    if event.recording_url:  # hung up while recording: the message still counts
        calls.answer(services, voice, event, None, inbound)
    end = CallEnd(
        provider=NAME,
        call_id=call_id,
        status=(form.get("callSessionState") or "completed").lower(),
        cause=form.get("hangupCause") or None,
        cause_label=_known(form.get("hangupCause")),
        duration=fields.seconds(form.get("durationInSeconds")),
        phone=phone or None,
        meta={"cost": form.get("amount", "")[:20], "currency": form.get("currencyCode", "")[:5]},
    )
    calls.finish(services, end)
    return calls.EMPTY_RESPONSE


HANGUP_CAUSES = frozenset(
    {  # `hangupCause` (protocols.md A3.1)
        "NORMAL_CLEARING",
        "CALL_REJECTED",
        "NORMAL_TEMPORARY_FAILURE",
        "RECOVERY_ON_TIMER_EXPIRE",
        "ORIGINATOR_CANCEL",
        "LOSE_RACE",
        "USER_BUSY",
        "NO_ANSWER",
        "NO_USER_RESPONSE",
        "SUBSCRIBER_ABSENT",
        "SERVICE_UNAVAILABLE",
        "USER_NOT_REGISTERED",
        "UNALLOCATED_NUMBER",
        "UNSPECIFIED",
    }
)


def _known(cause: str | None) -> str | None:
    return cause if cause in HANGUP_CAUSES else None


def _person(services, call_id: str, inbound: bool) -> str:
    """The other party: the caller of an inbound call; on a call we placed, the number we
    called (remembered when we placed it, else whichever number is not ours)."""
    form = request.form
    if inbound:
        return fields.caller(form.get("callerNumber"))
    remembered = callback.outbound_phone(services.redis, services.settings.data_keys, NAME, call_id)
    if remembered:
        return remembered
    ours = services.settings.at_voice_number
    numbers = [form.get("destinationNumber"), form.get("callerNumber")]
    return next((fields.caller(n) for n in numbers if n and n != ours and fields.caller(n)), "")


def place_call(settings: Settings, phone: str) -> str:
    """Call `phone` from AT_VOICE_NUMBER (AT then calls that number's callback URL). Returns
    AT's session id. Uses the SDK's voice service on its own, so that the process-wide
    services `africastalking.initialize()` builds (SMS's redirected base URL) stay as set."""
    if not can_dial(settings):
        raise PermanentSendError("Africa's Talking voice is not configured (username, key, number)")
    service = VoiceService(settings.at_username, settings.at_api_key)
    if not (settings.at_username == "sandbox" and settings.at_voice_url == LIVE_VOICE_URL):
        service._baseUrl = settings.at_voice_url.rstrip("/")
    try:
        reply = service.call(settings.at_voice_number, [phone], timeout=HTTP_TIMEOUT)
    except ValueError as exc:  # the SDK refuses the number
        raise PermanentSendError(str(exc)) from exc
    except AfricasTalkingException as exc:
        raise RetryableSendError(str(exc)[:200]) from exc
    if isinstance(reply, str):
        try:
            reply = json.loads(reply)
        except ValueError as exc:
            raise RetryableSendError(f"unreadable answer: {reply[:100]!r}") from exc
    entries = reply.get("entries") or [{}]
    entry = entries[0]
    if entry.get("status") != "Queued" or not entry.get("sessionId"):
        why = entry.get("status") or reply.get("errorMessage") or "no session"
        raise PermanentSendError(f"call not queued: {why}", code=str(why))
    return entry["sessionId"]


def fetch_recording(settings: Settings, url: str) -> tuple[bytes, str]:
    """A recording's audio, only from AT's own hosts (its recording URLs need no credentials)."""
    return download(
        url, (urlsplit(settings.at_voice_url).netloc, *RECORDING_HOSTS), MAX_RECORDING_BYTES
    )
