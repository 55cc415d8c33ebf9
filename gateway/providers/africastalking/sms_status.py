"""Africa's Talking SMS statuses as data (protocols.md A2.1, A2.3): what a send result or a
delivery report means for us. An unknown value is an explicit error listing the known ones
(a delivery report's is `unknown`, see gateway/sms/status_table.py)."""

from __future__ import annotations

from gateway.providers.base import FAIL, OPTED_OUT, RETRY, SENT, StatusTable

SEND_STATUS: StatusTable[tuple[str, str]] = StatusTable(
    "Africa's Talking recipient statusCode",
    {
        100: ("Processed", SENT),
        101: ("Sent", SENT),
        102: ("Queued", SENT),
        401: ("RiskHold", FAIL),
        402: ("InvalidSenderId", FAIL),
        403: ("InvalidPhoneNumber", FAIL),
        404: ("UnsupportedNumberType", FAIL),
        405: ("InsufficientBalance", RETRY),  # a top-up fixes it
        406: ("UserInBlacklist", OPTED_OUT),
        407: ("CouldNotRoute", FAIL),
        409: ("DoNotDisturbRejection", RETRY),  # a time-of-day rule: later may pass
        500: ("InternalServerError", RETRY),
        501: ("GatewayError", RETRY),
        502: ("RejectedByGateway", RETRY),
    },
)
"""Per-recipient `statusCode` of a send -> (AT's name for it, what we do)."""

DELIVERY_STATUS: StatusTable[str] = StatusTable(
    "Africa's Talking delivery status",
    {
        "Sent": "sent",
        "Submitted": "sent",
        "Buffered": "sent",
        "Success": "delivered",
        "Rejected": "failed",
        "Failed": "failed",
        "Expired": "failed",
    },
)
"""Delivery report `status` -> our status (`sent`, `delivered`, `failed`)."""

OPTED_OUT_REASONS = frozenset({"UserInBlackList", "UserInBlacklist"})
"""`failureReason` values that mean the person blocked our messages."""
