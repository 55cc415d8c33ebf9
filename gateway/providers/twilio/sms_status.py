"""Twilio message statuses and error codes as data (protocols.md B1.2): what a status callback
or a failed send means for us. An unknown status is an explicit error listing the known ones
(a status callback's is `unknown`, see gateway/sms/status_table.py)."""

from __future__ import annotations

from gateway.providers.base import FAIL, OPTED_OUT, RETRY, StatusTable

IGNORED = None

DELIVERY_STATUS: StatusTable[str | None] = StatusTable(
    "Twilio MessageStatus",
    {
        "accepted": "sent",
        "scheduled": "sent",
        "queued": "sent",
        "sending": "sent",
        "sent": "sent",
        "delivered": "delivered",
        "read": "delivered",
        "partially_delivered": "delivered",
        "failed": "failed",
        "undelivered": "failed",
        "canceled": "failed",
        "receiving": IGNORED,  # statuses of inbound messages: nothing to do
        "received": IGNORED,
    },
)
"""`MessageStatus` -> our status (`sent`, `delivered`, `failed`), None for inbound states."""

SEND_ERRORS: StatusTable[str] = StatusTable(
    "Twilio error code",
    {
        21610: OPTED_OUT,  # the recipient replied STOP to this sender
        21211: FAIL,  # invalid 'To' number
        21614: FAIL,  # 'To' is not a mobile number (e.g. an Indonesian landline)
        21612: FAIL,  # cannot route from this 'From' to this 'To'
        21408: FAIL,  # sending to this region is not enabled on the account
        21606: FAIL,  # 'From' is not an SMS-capable number of the account
        21617: FAIL,  # body longer than 1600 characters
        20003: RETRY,  # authentication: fixed by correcting the settings
        30001: RETRY,  # queue overflow
        21611: RETRY,  # too many messages queued for this 'From' number
        # rate limits: a later attempt passes (courier retries 63018 from a status callback)
        20429: RETRY,  # too many requests
        14107: RETRY,  # SMS send rate limit exceeded
        30022: RETRY,  # US A2P 10DLC rate limits exceeded
        31206: RETRY,  # rate exceeded authorized limit
        63017: RETRY,  # rate limit exceeded
        63018: RETRY,  # rate limit exceeded for the channel
    },
)
"""Error `code` of a refused send or of a failed status callback -> what we do. Codes not
listed follow the HTTP status for a send (429 and 5xx retry, anything else fails); a failed
callback with an unlisted code is a final failure."""


def retryable(error_code: str | None) -> bool:
    """Whether a failed status callback's `ErrorCode` says to send the message again."""
    code = (error_code or "").strip()
    return code.isascii() and code.isdigit() and SEND_ERRORS.rows.get(int(code)) == RETRY


OUTSIDE_WINDOW_CODES = frozenset({"63016"})
"""`ErrorCode` values meaning WhatsApp refused free-form text outside its messaging window."""

OPTED_OUT_CODES = frozenset({"21610"})
"""`ErrorCode` values of a status callback that mean the person blocked our messages."""

ERROR_WORDS = {
    "30003": "unreachable handset",
    "30004": "message blocked",
    "30005": "unknown handset",
    "30006": "landline or unreachable carrier",
    "30007": "filtered by the carrier",
    "30008": "unknown error",
    "21610": "recipient opted out",
    "63016": "outside the WhatsApp messaging window",
    "30001": "queue overflow",
    "63018": "rate limited",
    "14107": "rate limited",
    "20429": "rate limited",
    "30022": "rate limited",
}
"""`ErrorCode` values of a status callback, in words for the case timeline."""
