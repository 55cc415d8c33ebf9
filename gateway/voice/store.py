"""Call state between a call's requests, in Redis under the provider and its call id.

A call is one small JSON record that any gateway process can pick up: the engine's state, the
number of the step last answered and that answer itself (so a provider repeating a request
hears the same reply instead of moving the call on), and what the end-of-call record needs.
It expires on its own: a call that never sends its final notification leaves nothing behind.
The record names the caller's number and holds what they said: it is sealed under the data
keys (`DataKeys.encrypt`); one no key opens reads as absent (the call starts afresh).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field

from redis import Redis

from casebridge.datakeys import DataKeys
from casebridge.sealed import open_text

TTL_SECONDS = 2 * 3600
"""Longer than any call we run (a report takes a few minutes, a recording two)."""
CALL_ID = re.compile(r"^[A-Za-z0-9_.:+\-]{1,100}$")


def valid_call_id(call_id: str | None) -> bool:
    """Whether a provider's call id is safe to use as a key (and fits ChannelSession)."""
    return bool(call_id) and CALL_ID.match(call_id) is not None


@dataclass
class CallRecord:
    """One call in progress."""

    provider: str
    call_id: str
    phone: str
    """The person's number in E.164, or "" when it was withheld."""
    inbound: bool = True
    engine: dict | None = None
    """The voice engine's state (`ivr_scripts` README); None for a call we refused."""
    seq: int = 0
    """The number of the last step answered; the step URLs carry it as `?n=`."""
    reply: str = ""
    """The XML of that step, sent again when the provider repeats a request."""
    callback: bool = False
    """Refused so that we call back (missed-call callback)."""
    closed: bool = False
    """The provider said the call is over. Kept until it expires: a step can arrive after
    the final notification (a recording when the caller hung up while speaking)."""
    started: float = field(default_factory=time.time)

    @property
    def reference(self) -> str | None:
        """The case reference when the caller left a report in this call."""
        submission = (self.engine or {}).get("submission") or {}
        return submission.get("reference")

    @property
    def node(self) -> str | None:
        return (self.engine or {}).get("node")

    @property
    def lang(self) -> str | None:
        return (self.engine or {}).get("lang")


def _key(provider: str, call_id: str) -> str:
    return f"voice:call:{provider}:{call_id}"


class CallStore:
    """Load, save and forget call records."""

    def __init__(self, redis: Redis, keys: DataKeys, ttl: int = TTL_SECONDS):
        self.redis = redis
        self.keys = keys
        self.ttl = ttl

    def load(self, provider: str, call_id: str) -> CallRecord | None:
        text = open_text(self.keys, self.redis.get(_key(provider, call_id)))
        if text is None:
            return None
        try:
            return CallRecord(**json.loads(text))
        except (TypeError, ValueError):  # written by another version: start afresh
            return None

    def save(self, record: CallRecord) -> None:
        payload = json.dumps(asdict(record), separators=(",", ":"))
        sealed = self.keys.encrypt(payload)
        self.redis.set(_key(record.provider, record.call_id), sealed, ex=self.ttl)
