"""Twilio: SMS and voice. Each part is its own module beside this one."""

from ..base import Provider
from . import sms, voice

PROVIDER = Provider(
    name="twilio",
    blueprints=(sms.blueprint, voice.blueprint),
    make_sender=sms.make_sender,
    place_call=voice.place_call,
    fetch_recording=voice.fetch_recording,
)
