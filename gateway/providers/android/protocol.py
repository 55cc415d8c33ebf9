"""SMS Gateway for Android's words: the events, the webhook signature, and the reply route
(which phone and SIM a person wrote to, carried in `our_number` as "sim:2@<device>")."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

from android_sms_gateway import WebhookEvent

from gateway.providers.base import StatusTable

NAME = "android"
PATH = "/sms/android"
DEFAULT = "default"
"""The phone of the ANDROID_* settings (still on PATH); phones added with `pengaduan phones add`
have their own PATH/<name>."""
PHONE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,23}")

RECEIVED, PING = WebhookEvent.SMS_RECEIVED.value, WebhookEvent.SYSTEM_PING.value
DELIVERY_EVENTS: StatusTable[tuple[str, str]] = StatusTable(
    "SMS Gateway for Android delivery event",
    {
        "sms:sent": ("sent", "sentAt"),
        "sms:delivered": ("delivered", "deliveredAt"),
        "sms:failed": ("failed", "failedAt"),
    },
)
"""Delivery event -> (our status, the payload field with its time)."""


def is_delivery(event: str, payload: Mapping[str, object]) -> bool:
    """An event about a message the phone sends: the ones in DELIVERY_EVENTS, and any other
    `sms:` event with a `messageId` that is not about a received one (`sms:cancelled`, states
    added later)."""
    if event in DELIVERY_EVENTS:
        return True
    return event.startswith("sms:") and "received" not in event and "messageId" in payload


WEBHOOK_IDS = {
    event: "pengaduan-" + event.replace(":", "-")
    for event in (RECEIVED, *DELIVERY_EVENTS.rows, PING)
}
"""The events `connect` registers, each under a fixed id so that a rerun replaces it."""

MAX_SKEW = 300
"""Seconds a webhook's `X-Timestamp` may be from now (the app's docs advise ±5 minutes)."""


TIMESTAMP = re.compile(r"[0-9]{1,12}")
"""Unix seconds as the phone sends them; anything longer is refused before it is read."""


def sign(key: str, body: bytes, timestamp: str) -> str:
    """The phone's `X-Signature`: hex HMAC-SHA256 of the raw body followed by `X-Timestamp`."""
    return hmac.new(key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def signature_ok(key: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """A valid signature over a timestamp within ±MAX_SKEW seconds; no key, no entry."""
    timestamp = headers.get("X-Timestamp", "")
    given = headers.get("X-Signature", "").strip().lower().encode("utf-8", "replace")
    if not key or not given or not TIMESTAMP.fullmatch(timestamp):
        return False
    if abs(time.time() - int(timestamp)) > MAX_SKEW:
        return False
    return hmac.compare_digest(sign(key, body, timestamp).encode(), given)


# --- the reply route: which phone and SIM a person wrote to ----------------------------------

_ROUTE = re.compile(r"^(?:sim:(?P<sim>\d{1,2}))?(?:@(?P<device>[\w.-]{1,64}))?$")


def route(sim: object, device: object, phone: str = DEFAULT) -> str | None:
    """`our_number` for a message that came in on this SIM slot of this device; a registered
    phone's name goes first ("post-a/sim:2": its device is on its row)."""
    head = f"sim:{sim}" if isinstance(sim, int) and not isinstance(sim, bool) and sim > 0 else ""
    if phone != DEFAULT:
        return f"{phone}/{head}"
    full = head + (f"@{device}" if isinstance(device, str) and device else "")
    return (full if len(full) <= 40 else head) or None


def phone_of(our_number: str | None) -> str:
    """The phone a route names: its name before "/", else the default phone."""
    name, slash, _ = (our_number or "").partition("/")
    return name if slash and PHONE_NAME.fullmatch(name) else DEFAULT


def parse_route(our_number: str | None) -> tuple[int | None, str | None]:
    """(SIM slot, device id) from `our_number`; (None, None) for anything else."""
    if phone_of(our_number) != DEFAULT:
        our_number = (our_number or "").partition("/")[2]
    match = _ROUTE.match(our_number or "")
    if match is None:
        return None, None
    return (int(match["sim"]) if match["sim"] else None), match["device"]
