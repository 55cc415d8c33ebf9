"""WhatsApp Cloud API statuses and error codes as data: what a status webhook or a refused send
means for us. Unknown words are explicit errors listing the known ones."""

from __future__ import annotations

from casebridge.whatsapp import REENGAGE
from gateway.providers.base import FAIL, OPTED_OUT, RETRY, StatusTable

DELIVERY_STATUS: StatusTable[str] = StatusTable(
    "WhatsApp status",
    {"sent": "sent", "delivered": "delivered", "read": "delivered", "failed": "failed"},
)
"""`statuses[].status` -> our status."""

ERRORS: StatusTable[str] = StatusTable(
    "WhatsApp error code",
    {
        130429: RETRY,  # rate limit hit (throughput)
        131000: RETRY,  # something went wrong
        131016: RETRY,  # service unavailable
        131048: RETRY,  # spam rate limit hit
        131056: RETRY,  # (business, consumer) pair rate limit hit
        131049: RETRY,  # not delivered to maintain healthy ecosystem engagement
        4: RETRY,  # API too many calls
        80007: RETRY,  # rate limit issues
        190: RETRY,  # access token expired: fixed by correcting WHATSAPP_TOKEN
        131047: REENGAGE,  # more than 24 hours since the customer last replied
        131050: OPTED_OUT,  # the user stopped marketing messages
        131026: FAIL,  # message undeliverable (no WhatsApp on this number, old app)
        131021: FAIL,  # recipient cannot be the sender
        131051: FAIL,  # unsupported message type
        131052: FAIL,  # media download error
        131053: FAIL,  # media upload error
        131008: FAIL,  # required parameter is missing
        131009: FAIL,  # parameter value is not valid
        132000: FAIL,  # template: number of parameters does not match
        132001: FAIL,  # template does not exist
        132012: FAIL,  # template parameter format mismatch
        133010: FAIL,  # phone number not registered
        368: FAIL,  # temporarily blocked for policy violations
        100: FAIL,  # invalid parameter
    },
)
"""`errors[].code` of a failed status or a refused send -> what we do. A code not listed
follows the HTTP status for a send (429 and 5xx retry, anything else fails); a failed status
with an unlisted code is a final failure."""


def outcome(code: object) -> str | None:
    """RETRY, FAIL, OPTED_OUT, REENGAGE for a known code; None for an unknown one."""
    try:
        return ERRORS.rows.get(int(str(code)))
    except ValueError:
        return None
