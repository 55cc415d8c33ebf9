"""A step as Twilio TwiML, built with the `twilio` package's TwiML builders.

Voices: Google voices in both languages (Twilio has no Polly or man/woman voice for id-ID,
and one voice family keeps the line sounding the same when the caller switches language).
"""

from __future__ import annotations

from twilio.twiml.voice_response import Gather as TwimlGather
from twilio.twiml.voice_response import VoiceResponse

from .step import Gather, Hangup, Play, Record, Reject, Say, Step
from .urls import audio_url, mark_no_input

# lang -> (Twilio `language`, `voice`)
VOICES: dict[str, tuple[str, str]] = {
    "id": ("id-ID", "Google.id-ID-Standard-A"),
    "en": ("en-US", "Google.en-US-Standard-C"),
}


def _speak(verb: VoiceResponse | TwimlGather, step: Step, audio_base_url: str) -> None:
    for item in step.speech:
        if isinstance(item, Say):
            language, voice = VOICES.get(item.lang, VOICES["en"])
            verb.say(item.text, voice=voice, language=language)
        elif isinstance(item, Play):
            verb.play(audio_url(audio_base_url, item.audio_file))


def to_twiml(step: Step, action_url: str, audio_base_url: str) -> str:
    """TwiML for a step; keys and recordings are posted to `action_url`."""
    response = VoiceResponse()
    action = step.action
    if isinstance(action, Reject):
        response.reject()
    elif isinstance(action, Gather):
        gather = response.gather(
            action=action_url,
            method="POST",
            input="dtmf",
            num_digits=action.num_digits,
            timeout=action.timeout,
            finish_on_key=action.finish_on_key,
            action_on_empty_result=True,
        )
        _speak(gather, step, audio_base_url)
    else:
        _speak(response, step, audio_base_url)
        if isinstance(action, Record):
            response.record(
                action=action_url,
                method="POST",
                max_length=action.max_length,
                timeout=action.timeout,
                finish_on_key=action.finish_on_key,
                play_beep=True,
                trim="trim-silence",
            )
            # Twilio skips the action URL when nothing was recorded and runs the next verb.
            response.redirect(mark_no_input(action_url), method="POST")
        elif isinstance(action, Hangup) or action is None:
            response.hangup()
    return response.to_xml()
