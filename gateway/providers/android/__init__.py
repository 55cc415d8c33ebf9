"""SMS Gateway for Android: a phone with a local SIM as the SMS provider (protocols.md E).

The only package that knows the app's field names, one module per part:

    protocol.py   the events, the webhook signature, the reply route (phone and SIM)
    webhook.py    POST /sms/android: the phone's signed JSON webhooks; 204 when taken,
                  403 unsigned, stale or wrongly signed, 400 malformed
    sender.py     AndroidSender, through the official `android-sms-gateway` client
    state.py      health / metrics: when the phone was last heard from, what waits for it
    connect.py    `pengaduan android connect`: registers our webhooks on the phone
    phones.py     the phones: `default` (ANDROID_* settings) and the rows of `gateway_phones`
    pool.py       the `android` sender of the workers: which phone, SIM and when, per message

Many phones (design.md "Gateway phones"): each registered phone has its webhooks at
/sms/android/<name>, signed with its own key, and its name leads `our_number` ("post-a/sim:2").

A message the phone received is deduplicated on the webhook's event `id` (the phone's own
`messageId` is derived from the content). The SIM slot and device a person wrote to travel in
`our_number` ("sim:2@<device>"), so replies leave through the same phone and SIM."""

from ..base import Provider
from .connect import cli
from .phones import Phone, default_phone
from .pool import PhonePool, failover_sweep, with_phones
from .protocol import (
    DEFAULT,
    NAME,
    PATH,
    WEBHOOK_IDS,
    parse_route,
    phone_of,
    route,
    sign,
    signature_ok,
)
from .sender import AndroidSender, make_sender
from .state import PHONE_KEY, health, in_use, last_seen, metrics, overview
from .webhook import blueprint

__all__ = [
    "DEFAULT",
    "NAME",
    "PATH",
    "PHONE_KEY",
    "PROVIDER",
    "WEBHOOK_IDS",
    "AndroidSender",
    "Phone",
    "PhonePool",
    "default_phone",
    "failover_sweep",
    "overview",
    "phone_of",
    "with_phones",
    "last_seen",
    "make_sender",
    "metrics",
    "parse_route",
    "route",
    "sign",
    "signature_ok",
]

PROVIDER = Provider(
    name=NAME,
    blueprints=(blueprint,),
    make_sender=make_sender,
    health=health,
    cli=cli,
    metrics=metrics,
    settings=(
        "ANDROID_GATEWAY_URL",
        "ANDROID_GATEWAY_LOGIN",
        "ANDROID_GATEWAY_PASSWORD",
        "ANDROID_WEBHOOK_KEY",
    ),
    signed_by="ANDROID_WEBHOOK_KEY",
    in_use=in_use,
)
