"""Twilio: SMS and voice. Each part is its own module beside this one."""

from casebridge.settings import Settings

from ..base import Provider
from . import sms, voice


def in_use(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid or settings.sms_provider == "twilio")


PROVIDER = Provider(
    name="twilio",
    blueprints=(sms.blueprint, voice.blueprint),
    make_sender=sms.make_sender,
    place_call=voice.place_call,
    fetch_recording=voice.fetch_recording,
    fetch_media=sms.fetch_media,
    signed_by="TWILIO_AUTH_TOKEN",
    in_use=in_use,
)
