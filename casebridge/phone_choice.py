"""Which gateway phone (and SIM) a message leaves from, and when: one pure function.

A reply to someone who just wrote leaves from the phone and SIM they wrote to; while that
phone is down it waits for it, and after REPLY_WAIT goes from another phone with a first line
saying which service it is. Any other message leaves from the phone of the case's
organisation, else from the healthy phone with the most room under its daily limit. A phone
silent for longer than `silent_after` is down; one at its daily limit takes nothing more that
day. Quiet hours (the phone's local time) hold messages that are not urgent until they end.
When no phone is healthy the preferred one is used anyway (its relay may hold the message)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

REPLY_WAIT = timedelta(hours=1)
"""How long a reply waits for the phone the person wrote to before another phone sends it."""
RECHECK = timedelta(minutes=5)
"""How soon a message waiting for a phone is looked at again."""


@dataclass(frozen=True)
class PhoneState:
    name: str
    organisation_id: int | None = None
    daily_limit: int | None = None
    sent_today: int = 0
    last_seen: datetime | None = None
    quiet: tuple[time, time] | None = None
    timezone: str = "Asia/Jakarta"

    def up(self, now: datetime, silent_after: timedelta) -> bool:
        return self.last_seen is not None and now - self.last_seen <= silent_after

    def room(self) -> float:
        return float("inf") if self.daily_limit is None else self.daily_limit - self.sent_today

    def quiet_until(self, now: datetime) -> datetime | None:
        """The end of the quiet period `now` falls in (aware), or None outside it."""
        if self.quiet is None:
            return None
        local = now.astimezone(ZoneInfo(self.timezone))
        start, end = self.quiet
        t = local.time().replace(tzinfo=None)
        inside = (start <= t < end) if start <= end else (t >= start or t < end)
        if not inside:
            return None
        until = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        return until if until > local else until + timedelta(days=1)

    def next_day(self, now: datetime) -> datetime:
        """The next local midnight: when the daily count starts again."""
        local = now.astimezone(ZoneInfo(self.timezone))
        return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Outgoing:
    reply_to: str | None = None
    """The phone the person wrote to (when this answers them)."""
    sim: int | None = None
    is_reply: bool = False
    """They just wrote: this answers them (and is never held by quiet hours)."""
    organisation_id: int | None = None
    queued_at: datetime | None = None
    urgent: bool = False
    assigned: str | None = None
    """The phone an earlier try chose, if any: leaving it is a move the timeline notes."""


@dataclass(frozen=True)
class Choice:
    phone: str | None
    sim: int | None = None
    wait_until: datetime | None = None
    """Not now: look again at this time (phone is who it waits for, None for no phone)."""
    reason: str = ""
    introduce: bool = False
    """Leaves from another number than the one the person wrote to: say which service it is."""
    moved_from: str | None = None


def choose(
    phones: list[PhoneState],
    out: Outgoing,
    now: datetime,
    silent_after: timedelta = timedelta(minutes=15),
) -> Choice:
    """The phone, SIM and time for one message (see the module's docstring)."""
    if not phones:
        return Choice(None, reason="no phone")
    by_name = {p.name: p for p in phones}

    def usable(p: PhoneState) -> bool:
        return p.up(now, silent_after) and p.room() > 0

    def most_room(exclude: str | None = None) -> PhoneState | None:
        ok = [p for p in phones if usable(p) and p.name != exclude]
        return max(ok, key=lambda p: (p.room(), -phones.index(p)), default=None)

    def done(phone: PhoneState, reason: str, sim: int | None = None, introduce=False) -> Choice:
        moved = out.assigned if out.assigned not in (None, phone.name) else None
        if not out.urgent and not out.is_reply:
            until = phone.quiet_until(now)
            if until is not None:
                return Choice(phone.name, sim, until, "quiet hours", introduce, moved)
        return Choice(phone.name, sim, None, reason, introduce, moved)

    own = by_name.get(out.reply_to) if out.is_reply and out.reply_to else None
    if own is not None:
        if usable(own):
            return done(own, "reply", out.sim)
        other = most_room(exclude=own.name)
        if other is None and own.room() > 0:
            return done(own, "reply, no other phone", out.sim)
        waited = now - (out.queued_at or now)
        if other is not None and own.room() > 0 and waited < REPLY_WAIT:
            until = min(now + RECHECK, (out.queued_at or now) + REPLY_WAIT)
            return Choice(own.name, out.sim, until, "waiting for its phone")
        if other is not None:
            return done(other, "reply from another phone", introduce=True)
    org = [p for p in phones if out.organisation_id and p.organisation_id == out.organisation_id]
    for p in org:
        if usable(p):
            return done(p, "organisation's phone", introduce=own is not None or _wrote(out))
    best = most_room()
    if best is not None:
        return done(best, "most room", introduce=own is not None or _wrote(out))
    with_room = [p for p in org + phones if p.room() > 0]
    if with_room:  # none is healthy: the preferred one, whose relay may hold it
        return done(with_room[0], "no healthy phone", introduce=_wrote(out))
    until = min(p.next_day(now) for p in phones)
    return Choice(None, wait_until=until, reason="every phone at its daily limit")


def _wrote(out: Outgoing) -> bool:
    return out.is_reply and out.reply_to is not None


def parse_quiet(text: str | None) -> tuple[time, time] | None:
    """ "22:00-06:00" -> (22:00, 06:00); ValueError for anything else."""
    if not text:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"quiet hours must look like 21:00-06:00, not {text!r}") from None
    if start == end:
        raise ValueError("quiet hours must not start and end at the same time")
    return start, end
