"""One USSD hop, whatever the provider: check it, find its session, answer it.

A hop is answered from memory plus two Redis round trips (read the session, write it back);
the database is touched only by organisation choices, status lookups and submitting. A
repeated hop (a provider retry: the same cumulative text again) gets the stored screen and
runs nothing twice. Whatever goes wrong, the person gets a screen, never an error.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from redis.exceptions import RedisError

from casebridge import phones
from casebridge.channel_events import UssdHop
from ussd_menus import engine
from ussd_menus.history import new_input
from ussd_menus.menu import DEFAULT_LANGUAGE
from ussd_menus.notices import notice
from ussd_menus.screens import Screen

from ..services import Services
from .context import DbContext
from .link import Link
from .store import Store, UssdSession

log = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[\x21-\x7e]{1,100}")
"""Printable ASCII without spaces; 100 fits the records (AT's look like `ATUid_…`)."""
SERVICE_CODE = re.compile(r"[*#0-9]{1,40}")
NETWORK_CODE = re.compile(r"[0-9]{1,10}")
TEXT_MAX = 4000
"""Longest cumulative text accepted: far beyond what a 3-minute session can type."""


@lru_cache(maxsize=4096)
def caller(raw: str) -> str | None:
    """The caller's number in E.164, re-parsed (providers send E.164, but check)."""
    return phones.normalise(raw) if raw else None


def problem(hop: UssdHop) -> str | None:
    """The notice for a hop that cannot be answered (a missing or malformed field), or None."""
    if not SESSION_ID.fullmatch(hop.session_id or ""):
        return "no_session"
    if caller(hop.phone or "") is None:
        return "no_phone"
    if not SERVICE_CODE.fullmatch(hop.service_code or ""):
        return "bad_request"
    if hop.network_code is not None and not NETWORK_CODE.fullmatch(hop.network_code):
        return "bad_request"
    if hop.text is None or len(hop.text) > TEXT_MAX:
        return "bad_request"
    return None


def intake_key(hop: UssdHop, who: str) -> str:
    """The idempotency key of the report a session may file: one per session of a phone (a
    session id sent again from another phone never gets that report's answer); the phone is
    named by its blind index (`who`), as in the session's key."""
    return f"ussd:{hop.provider}:{who}:{hop.session_id}"


def answer(services: Services, hop: UssdHop) -> Screen:
    """The screen for this hop; an END notice when the hop is broken or the service is down."""
    refused = problem(hop)
    if refused is not None:
        log.info("USSD hop refused (%s, %r): %s", hop.provider, hop.session_id[:100], refused)
        return notice(refused, DEFAULT_LANGUAGE)
    try:
        return _answer(services, hop, caller(hop.phone))
    except RedisError as exc:
        log.warning("USSD hop not answered, Redis unavailable: %s", exc)
    except Exception:
        log.exception("USSD hop failed (%s, %s)", hop.provider, hop.session_id)
    return notice("busy", DEFAULT_LANGUAGE)


def _answer(services: Services, hop: UssdHop, phone: str) -> Screen:
    store = Store(services.redis, hop.provider, services.settings.data_keys)
    with store.link() as link:
        return _answer_on(store, link, services, hop, phone)


def _answer_on(store: Store, link: Link, services: Services, hop: UssdHop, phone: str) -> Screen:
    first = hop.text == ""
    loaded = store.load(link, hop.session_id, phone, first=first)
    if loaded.session is None and not first:
        # The session was lost (expired, Redis restarted): start again, offering the report.
        loaded = store.load(link, hop.session_id, phone, first=True)
    session = loaded.session
    if session is not None:
        typed = new_input(session.text, hop.text)
        if typed is None or session.end:
            return session.screen  # a retry, or a hop after the last screen: the same answer
    ctx = DbContext(services, intake_key(hop, store.who(phone)))
    if session is None:
        resume = loaded.resume
        lang = loaded.language or (resume or {}).get("lang") or DEFAULT_LANGUAGE
        state, screen = engine.start(phone, str(lang), ctx, resume)
        session = UssdSession(phone, hop.text, state, screen.text, screen.end, reference=None)
        new = True
    else:
        state, screen = engine.step(session.state, typed, ctx)
        session = session.after(hop.text, state, screen, ctx.reference)
        new = False
    resume = state if engine.in_report(state) else None
    store.save(link, hop.session_id, session, resume=resume, language=ctx.language, new=new)
    return screen
