"""USSD sessions in Redis: per hop one read (a round trip) and one write (sent; its replies
are read later), over one connection lent to the hop (`Store.link()`, `gateway.ussd.link`).

Keys name a phone by its blind index (`DataKeys.index`, "who" below), never by its number;
the session and the resume offer are sealed (`DataKeys.seal`): a copy of Redis (or of its
snapshot) shows no name, description or number. A value no key opens reads as absent.
- `ussd:session:<provider>:<who>:<session id>`: the session (state, the provider's
  cumulative text, the last screen), for `SESSION_TTL`; bound to the caller's phone, so the
  same session id from another phone is another session; once it has ended, only `END_TTL`
  (its last screen, which may show a PIN, is kept just long enough to answer a provider retry).
- `ussd:resume:<who>`: the latest unfinished report of that phone, offered to continue on
  its next dial within `RESUME_TTL`.
- `ussd:lang:<who>`: the language chosen on that phone.
- `ussd:stats`: counters for `/metrics` (see `gateway.ussd.metrics`).

While a rotation runs (a keyring of two keys or more) a phone has an index per key: a session
or resume offer not found under the current one is looked for under the older ones, in one
more round trip, and offers under the older ones are dropped with the current one.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields
from typing import Any

import orjson
from redis import Redis

from casebridge.datakeys import DataKeys
from casebridge.sealed import open_bytes
from ussd_menus.screens import Screen

from .link import Link, lend

SESSION_TTL = 600
"""Seconds a session is kept after its last hop (operators end sessions after 2-3 minutes)."""
END_TTL = 120
"""Seconds an ended session is kept: enough for a retried last hop and the end notification."""
RESUME_TTL = 30 * 60
LANGUAGE_TTL = 365 * 24 * 3600
STATS_KEY = "ussd:stats"


def session_key(provider: str, who: str, session_id: str) -> str:
    return f"ussd:session:{provider}:{who}:{session_id}"


def resume_key(who: str) -> str:
    return f"ussd:resume:{who}"


def language_key(who: str) -> str:
    return f"ussd:lang:{who}"


def started_field(provider: str) -> str:
    return f"started|{provider}"


def ended_field(provider: str, outcome: str, screen: str) -> str:
    return f"ended|{provider}|{outcome}|{screen}"


@dataclass(frozen=True)
class UssdSession:
    """A session as stored between hops."""

    phone: str
    text: str
    """The provider's cumulative text of the last hop answered."""
    state: dict[str, Any]
    reply: str
    """The last screen's text, given again to a retried hop."""
    end: bool = False
    hops: int = 1
    started_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    reference: str | None = None
    """The case reference a report filed in this session got."""

    @property
    def screen(self) -> Screen:
        return Screen(self.reply, self.end)

    @property
    def at(self) -> str | None:
        """The screen the person was last shown."""
        at = self.state.get("at") if isinstance(self.state, dict) else None
        return at if isinstance(at, str) else None

    def after(self, text: str, state: dict, screen: Screen, reference: str | None) -> UssdSession:
        """This session once the next hop has been answered."""
        return UssdSession(  # not dataclasses.replace: this runs on every hop
            self.phone,
            text,
            state,
            screen.text,
            screen.end,
            self.hops + 1,
            self.started_ms,
            reference or self.reference,
        )

    def dumps(self, state_json: bytes | None = None) -> bytes:
        """The session as JSON; `state_json` is its state already serialised (the same
        state is stored as the resume offer: it is serialised once)."""
        head = _dumps({name: getattr(self, name) for name in _SCALARS})  # asdict would deep-copy
        return b"".join((head[:-1], b',"state":', state_json or _dumps(self.state), b"}"))

    @classmethod
    def loads(cls, raw: bytes | str | None) -> UssdSession | None:
        """The stored session, or None when there is none or it is not one of ours."""
        if not raw:
            return None
        try:
            data = orjson.loads(raw)
            found = cls(**data)
        except (ValueError, TypeError):
            return None
        if not isinstance(found.state, dict) or not isinstance(found.text, str):
            return None
        return found


_SCALARS = tuple(f.name for f in fields(UssdSession) if f.name != "state")


@dataclass(frozen=True)
class Loaded:
    """What the first read of a hop found."""

    session: UssdSession | None
    resume: dict | None = None
    language: str | None = None


def _dumps(data: dict) -> bytes:
    """Compact JSON (orjson: a few times faster than json on every hop)."""
    return orjson.dumps(data)


def _json(raw: bytes | None) -> dict | None:
    if not raw:
        return None
    try:
        found = orjson.loads(raw)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


class Store:
    """Sessions of one provider, sealed under `keys`."""

    def __init__(self, redis: Redis, provider: str, keys: DataKeys):
        self.redis = redis
        self.provider = provider
        self.keys = keys
        self._who: tuple[str, str] | None = None

    def who(self, phone: str) -> str:
        """The phone's blind index under the current key (worked out once a hop)."""
        if self._who is None or self._who[0] != phone:
            self._who = (phone, self.keys.index(phone))
        return self._who[1]

    def link(self) -> AbstractContextManager[Link]:
        """A connection of the client for one hop's round trips (`gateway.ussd.link`)."""
        return lend(self.redis)

    def _session(self, raw: bytes | None) -> UssdSession | None:
        return UssdSession.loads(open_bytes(self.keys, raw))

    def _older(self, phone: str) -> list[str]:
        """The phone's indexes under the keys older than the current one (a rotation)."""
        return self.keys.indexes(phone)[1:] if len(self.keys.ids) > 1 else []

    def load(self, link: Link, session_id: str, phone: str, first: bool) -> Loaded:
        """The session; on a first hop (`first`) also the phone's resume offer and language."""
        who = self.who(phone)
        key = session_key(self.provider, who, session_id)
        if not first:
            (raw_session,) = link.exchange(("GET", key))
            session = self._session(raw_session)
            older = self._older(phone) if session is None else []
            if older:
                found = link.exchange(
                    *(("GET", session_key(self.provider, o, session_id)) for o in older)
                )
                session = next(filter(None, map(self._session, found)), None)
            return Loaded(session)
        raw_session, raw_resume, raw_lang = link.exchange(
            ("GET", key), ("GET", resume_key(who)), ("GET", language_key(who))
        )
        session = self._session(raw_session)
        resume = _json(open_bytes(self.keys, raw_resume))
        lang = raw_lang.decode() if isinstance(raw_lang, bytes) else raw_lang
        older = self._older(phone) if session is None and resume is None else []
        if older:
            found = link.exchange(
                *(
                    command
                    for o in older
                    for command in (
                        ("GET", session_key(self.provider, o, session_id)),
                        ("GET", resume_key(o)),
                        ("GET", language_key(o)),
                    )
                )
            )
            session = next(filter(None, map(self._session, found[0::3])), None)
            resume = next(
                filter(None, (_json(open_bytes(self.keys, r)) for r in found[1::3])), None
            )
            old_lang = next(filter(None, found[2::3]), None)
            lang = lang or (old_lang.decode() if isinstance(old_lang, bytes) else old_lang)
        return Loaded(session, resume, lang or None)

    def save(
        self,
        link: Link,
        session_id: str,
        session: UssdSession,
        *,
        resume: dict | None,
        language: str | None = None,
        new: bool = False,
    ) -> None:
        """Store the session, keep (or drop) the phone's resume offer, remember a chosen
        language, and count a new session: one write, not waited for (`Link.send`)."""
        ttl = END_TTL if session.end else SESSION_TTL
        who = self.who(session.phone)
        state_json = _dumps(session.state)
        commands: list[tuple] = [
            (
                "SET",
                session_key(self.provider, who, session_id),
                self.keys.seal(session.dumps(state_json)),
                "EX",
                ttl,
            )
        ]
        if resume is not None:
            resume_json = state_json if resume is session.state else _dumps(resume)
            commands.append(("SET", resume_key(who), self.keys.seal(resume_json), "EX", RESUME_TTL))
        else:
            commands.append(("DEL", resume_key(who)))
        older = self._older(session.phone)
        if older:  # an offer under an older index would come back once the current one is gone
            commands.append(("DEL", *(resume_key(o) for o in older)))
        if language:
            commands.append(("SET", language_key(who), language, "EX", LANGUAGE_TTL))
        if new:
            commands.append(("HINCRBY", STATS_KEY, started_field(self.provider), 1))
        link.send(*commands)  # its replies are read on the connection's next use

    def peek(self, session_id: str, phone: str) -> UssdSession | None:
        for who in self.keys.indexes(phone):
            found = self._session(self.redis.get(session_key(self.provider, who, session_id)))
            if found is not None:
                return found
        return None

    def finish(self, session_id: str, phone: str | None, outcome: str, screen: str) -> None:
        """Count how the session ended and where, and forget it."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hincrby(STATS_KEY, ended_field(self.provider, outcome, screen), 1)
        if phone:
            pipe.delete(
                *(session_key(self.provider, w, session_id) for w in self.keys.indexes(phone))
            )
        pipe.execute()
