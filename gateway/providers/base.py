"""What a provider adapter offers the rest of the service, and what adapters share: the
outcomes of a send, status tables, webhook errors and scrubbing numbers out of error texts.

A new provider is one package whose `__init__` defines `PROVIDER = Provider(...)` naming every
capability it has, and one line in the registry (`gateway/providers/registry.py`)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask import Response

from casebridge import phones

if TYPE_CHECKING:
    import click
    from flask import Blueprint

    from casebridge.messaging import Sender
    from casebridge.settings import Settings

    from ..services import Services

T = TypeVar("T")
log = logging.getLogger(__name__)

SENT, RETRY, FAIL, OPTED_OUT = "sent", "retry", "fail", "opted_out"
"""What a provider's answer to a send means: it left; try again later; it never will; it never
will because the person opted out with the provider."""


@dataclass(frozen=True)
class Provider:
    name: str
    blueprints: tuple[Blueprint, ...] = ()
    """Its webhook routes (inbound SMS, delivery reports, USSD, voice)."""
    make_sender: Callable[[Settings], Sender | None] | None = None
    """Its outbound SMS sender, or None when it is not configured."""
    health: Callable[[Services], dict[str, Any] | None] | None = None
    """Extra state for `/healthz` (and `/metrics`), e.g. when a gateway phone was last seen;
    a result with `"ok": False` turns `/healthz` into a warning, not a 503."""
    cli: click.Group | None = None
    """Extra commands under `pengaduan <name> …`."""
    metrics: Callable[[Services], Iterable[Any]] | None = None
    """Extra Prometheus metric families collected at scrape time."""
    place_call: Callable[[Settings, str], str] | None = None
    """Its voice line calls a number back (the missed-call callback); returns the call id."""
    fetch_recording: Callable[[Settings, str], tuple[bytes, str]] | None = None
    """Downloads a recording it holds: its bytes and content type."""
    fetch_media: Callable[[Settings, str, int], tuple[bytes, str]] | None = None
    """Downloads a file a person sent (its media id or URL, the most bytes to read): its bytes
    and content type; `casebridge.attachments.Refused` when it never will."""
    settings: tuple[str, ...] = field(default=())
    """The environment settings it reads, for the README and `pengaduan` diagnostics."""
    signed_by: str | None = None
    """The setting whose value authenticates its webhooks; while unset they answer 403."""
    in_use: Callable[[Settings], bool] | None = None
    """Whether this deployment is set up to use it (some of its settings are set)."""


# Status tables

UNKNOWN = "unknown"
"""Our status for a delivery report whose word no table knows: the message keeps its state."""
MAX_WARNED = 256
"""Distinct unknown words warned about per process; beyond that they pass silently."""
_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


class UnknownStatus(ValueError):
    """A provider sent a status word the table does not know; the message lists the known."""


@dataclass(frozen=True)
class StatusTable(Generic[T]):
    """`table["Success"]` -> our value; KeyError-free: unknown words raise UnknownStatus."""

    name: str
    rows: Mapping[object, T]

    def __getitem__(self, word: object) -> T:
        try:
            return self.rows[word]
        except (KeyError, TypeError):
            known = ", ".join(str(k) for k in self.rows)
            raise UnknownStatus(f"unknown {self.name} {_shown(word)}; known: {known}") from None

    def __contains__(self, word: object) -> bool:
        return word in self.rows

    def get(self, word: object, default: T) -> T:
        """`table[word]`, else `default`, with a warning the first time this process meets that
        word (providers add states without notice; a report is never refused for one)."""
        try:
            return self[word]
        except UnknownStatus as exc:
            key = (self.name, _shown(word))
            with _warned_lock:
                first = key not in _warned and len(_warned) < MAX_WARNED
                if first:
                    _warned.add(key)
            if first:
                log.warning("%s; taken as %r", exc, default)
            return default


def _shown(word: object) -> str:
    """The word as logs and errors show it: quoted, short, without phone numbers."""
    return scrub(repr(word), 60)


# Webhooks


class WebhookError(ValueError):
    """The webhook is malformed; answered 400 with this message (providers do not retry it)."""


def nul_free(name: str, value: str) -> str:
    """The value, unless it holds a NUL character (which no database text column takes)."""
    if "\x00" in value:
        raise WebhookError(f"field {name!r} holds a NUL character")
    return value


def required(form: Mapping[str, str], name: str) -> str:
    """A field that must be present and not blank."""
    value = form.get(name)
    if value is None or not str(value).strip():
        raise WebhookError(f"missing field {name!r}")
    return nul_free(name, str(value).strip())


def optional(form: Mapping[str, str], name: str) -> str | None:
    value = form.get(name)
    return nul_free(name, str(value).strip()) or None if value is not None else None


def bad_request(exc: Exception) -> Response:
    return Response(f"{exc}\n", status=400, mimetype="text/plain")


# Scrubbing

_NUMBER = re.compile(r"\+?\d[\d ]{6,}\d")


def scrub(text: str, limit: int = 300) -> str:
    """The text with every phone-like number masked ("+62812****7890"), at most `limit` long."""
    return _NUMBER.sub(lambda m: phones.mask(m.group().replace(" ", "")), text)[:limit]
