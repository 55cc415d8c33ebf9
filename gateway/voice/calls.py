"""One request of a call, whatever the provider: load the call, run the engine, keep the
answer, reply. The provider's voice module parses its webhook into a `VoiceStep` and hands in
how to render a step; this module decides everything else.

Every step URL carries the number of the step it answers (`?n=`). A request for an older
step is a provider repeating itself: it gets the reply it already had, and the call does not
move. A first request for a call we already know is repeated the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError

from casebridge.channel_events import CallEnd, VoiceStep
from casebridge.settings import Settings
from ivr_scripts import engine
from ivr_scripts.catalogue import DEFAULT_LANGUAGE
from ivr_scripts.step import Reject, Step, VoiceInput

from ..services import Services
from . import callback, metrics, records
from .context import DatabaseContext
from .store import CallRecord, CallStore

log = logging.getLogger(__name__)
EMPTY_RESPONSE = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
"""The answer to a notification that needs none (the call is over)."""


@dataclass(frozen=True)
class Adapter:
    """What a provider's voice module hands in."""

    provider: str
    render: Callable[[Step, int], str]
    """The step as the provider's XML; its action URLs carry `?n=<the int>`."""
    can_dial: Callable[[Settings], bool]
    """Whether outbound calls (the missed-call callback) are configured."""

    def farewell(self, lang: str | None = None) -> str:
        """A polite goodbye, for a request we cannot follow."""
        return self.render(engine.farewell(lang), 0)


def answer(
    services: Services, adapter: Adapter, event: VoiceStep, seq: int | None, inbound: bool
) -> str:
    """The reply to one request of a live call."""
    store = CallStore(services.redis, services.settings.data_keys)
    record = store.load(adapter.provider, event.call_id)
    if record is None:
        return _begin(services, adapter, store, event, inbound)
    if record.engine is None or not _is_next(record, event, seq):
        return record.reply
    ctx = DatabaseContext(services, adapter.provider, event.call_id)
    state, step = engine.step(record.engine, _input(event), ctx)
    record.engine, record.seq = state, record.seq + 1
    record.reply = adapter.render(step, record.seq)
    store.save(record)
    if record.closed and record.reference:  # the report came in after the hang-up
        records.close(services, CallEnd(adapter.provider, event.call_id, ""), record)
    return record.reply


def finish(services: Services, end: CallEnd) -> None:
    """The provider says the call is over: record it once, and keep the call marked closed
    until it expires (for a step that arrives late)."""
    store = CallStore(services.redis, services.settings.data_keys)
    record = store.load(end.provider, end.call_id)
    records.close(services, end, record)
    if record is not None and not record.closed:
        record.closed = True
        store.save(record)


def guarded(adapter: Adapter, work: Callable[[], str]) -> str:
    """Run `work`; a bug answers a goodbye (never a stack trace). The database or Redis being
    away is left to the app, which answers 503."""
    try:
        return work()
    except (OperationalError, RedisConnectionError):
        raise
    except Exception:
        log.exception("voice request through %s failed", adapter.provider)
        return adapter.farewell()


def _begin(
    services: Services, adapter: Adapter, store: CallStore, event: VoiceStep, inbound: bool
) -> str:
    provider, phone, settings = adapter.provider, event.phone, services.settings
    metrics.count(services.redis, "started", provider, "inbound" if inbound else "outbound")
    if (
        inbound
        and phone
        and settings.missed_call_callback
        and adapter.can_dial(settings)
        and callback.request(services, provider, phone)
    ):
        record = CallRecord(provider, event.call_id, phone, inbound, callback=True)
        record.reply = adapter.render(Step(DEFAULT_LANGUAGE, (), Reject()), 0)
        store.save(record)
        return record.reply
    ctx = DatabaseContext(services, provider, event.call_id)
    state, step = engine.start(phone, ctx.language_of(phone) or DEFAULT_LANGUAGE, ctx)
    record = CallRecord(provider, event.call_id, phone, inbound, engine=state, seq=1)
    record.reply = adapter.render(step, record.seq)
    store.save(record)
    return record.reply


def _is_next(record: CallRecord, event: VoiceStep, seq: int | None) -> bool:
    """Whether the request answers the step we sent last (else it is a repeat)."""
    if seq is None:  # the call's first URL again: only new if it carries input
        return bool(event.digits or event.recording_url)
    return seq == record.seq


def _input(event: VoiceStep) -> VoiceInput:
    return VoiceInput(
        digits=event.digits,
        recording_url=event.recording_url,
        recording_duration=event.recording_duration,
        timed_out=event.timed_out,
    )
