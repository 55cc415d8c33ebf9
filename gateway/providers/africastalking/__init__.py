"""Africa's Talking: USSD, SMS and voice. Each part is its own module beside this one."""

from ..base import Provider
from . import sms, ussd, voice

PROVIDER = Provider(
    name="africastalking",
    blueprints=(sms.blueprint, ussd.blueprint, voice.blueprint),
    make_sender=sms.make_sender,
    place_call=voice.place_call,
    fetch_recording=voice.fetch_recording,
)
