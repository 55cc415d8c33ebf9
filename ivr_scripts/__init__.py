"""Voice line scripts (data) and the pure engine that walks them.

    state, step = start(phone, lang, ctx)          # a new call
    state, step = step(state, VoiceInput(...), ctx)  # after each input
    to_twiml(step, action_url, audio_base_url)       # Twilio
    to_at_xml(step, callback_url, audio_base_url)    # Africa's Talking

See README.md in this folder for the data files and the state.
"""

from .check import check
from .context import CaseStatus, Submission, SubmitError, VoiceContext
from .engine import start, step
from .render_at import to_at_xml
from .render_twiml import to_twiml
from .step import Gather, Hangup, Play, Record, Reject, Say, Step, VoiceInput
from .urls import NO_INPUT_PARAM, audio_url, is_no_input, mark_no_input

__all__ = [
    "NO_INPUT_PARAM",
    "CaseStatus",
    "Gather",
    "Hangup",
    "Play",
    "Record",
    "Reject",
    "Say",
    "Step",
    "Submission",
    "SubmitError",
    "VoiceContext",
    "VoiceInput",
    "audio_url",
    "check",
    "is_no_input",
    "mark_no_input",
    "start",
    "step",
    "to_at_xml",
    "to_twiml",
]
