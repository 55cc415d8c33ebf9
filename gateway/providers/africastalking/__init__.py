"""Africa's Talking: USSD, SMS and voice. Each part is its own module beside this one."""

from casebridge.settings import Settings

from ..base import Provider
from . import sms, ussd, voice


def in_use(settings: Settings) -> bool:
    return bool(
        settings.at_username
        or settings.at_api_key
        or settings.at_voice_number
        or settings.sms_provider == "africastalking"
    )


PROVIDER = Provider(
    name="africastalking",
    blueprints=(sms.blueprint, ussd.blueprint, voice.blueprint),
    make_sender=sms.make_sender,
    place_call=voice.place_call,
    fetch_recording=voice.fetch_recording,
    signed_by="AT_WEBHOOK_TOKEN",
    in_use=in_use,
)
