"""The choice of gateway phone, as a table: reply-to phone and SIM, the organisation's phone,
room under the daily limit, health, quiet hours in the phone's local time, urgency."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from casebridge.phone_choice import Outgoing, PhoneState, choose, parse_quiet

NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
QUIET_END = datetime(2026, 12, 3, 4, 30, tzinfo=UTC)  # 11:30 in Jakarta
JAYAPURA_6 = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)  # 06:00 the next day in Jayapura
FRESH, STALE = NOW - timedelta(minutes=2), NOW - timedelta(minutes=20)
NIGHT = (time(9, 0), time(11, 30))  # "quiet" around 10:00 Jakarta, for the table


def ph(name, org=None, limit=None, sent=0, seen=FRESH, quiet=None, tz="Asia/Jakarta"):
    return PhoneState(name, org, limit, sent, seen, quiet, tz)


A, B, C = ph("a", org=1), ph("b"), ph("c", limit=100, sent=10)
REPLY = dict(reply_to="a", sim=2, is_reply=True, queued_at=NOW)

ROWS = [
    # (what, phones, outgoing, (phone, sim, held until, introduce, moved_from))
    ("a reply leaves from the phone and SIM written to", [A, B], Outgoing(**REPLY),
     ("a", 2, None, False, None)),
    ("a reply is not held by quiet hours", [ph("a", quiet=NIGHT), B], Outgoing(**REPLY),
     ("a", 2, None, False, None)),
    ("a reply waits for its silent phone", [ph("a", seen=STALE), B], Outgoing(**REPLY),
     ("a", 2, NOW + timedelta(minutes=5), False, None)),
    ("after an hour it goes from another phone, introduced", [ph("a", seen=STALE), B],
     Outgoing(**REPLY | {"queued_at": NOW - timedelta(minutes=61)}), ("b", None, None, True, None)),
    ("a reply to a phone at its limit goes from another, introduced",
     [ph("a", limit=5, sent=5), B], Outgoing(**REPLY), ("b", None, None, True, None)),
    ("the only phone, silent: a reply still goes through it", [ph("a", seen=STALE)],
     Outgoing(**REPLY), ("a", 2, None, False, None)),
    ("not a reply: the organisation's phone", [B, A], Outgoing(organisation_id=1),
     ("a", None, None, False, None)),
    ("the organisation's phone silent: most room", [ph("a", org=1, seen=STALE), B, C],
     Outgoing(organisation_id=1), ("b", None, None, False, None)),
    ("no organisation phone: the most room", [ph("b", limit=10, sent=9), C],
     Outgoing(organisation_id=7), ("c", None, None, False, None)),
    ("at its limit the organisation's phone gives way", [ph("a", org=1, limit=3, sent=3), C],
     Outgoing(organisation_id=1), ("c", None, None, False, None)),
    ("moved from the phone an earlier try chose", [ph("a", org=1, seen=STALE), B],
     Outgoing(organisation_id=1, assigned="a"), ("b", None, None, False, "a")),
    ("quiet hours hold a status update until they end", [ph("a", org=1, quiet=NIGHT)],
     Outgoing(organisation_id=1), ("a", None, QUIET_END, False, None)),
    ("quiet hours over midnight, in the phone's own zone",
     [ph("a", org=1, quiet=(time(11, 0), time(6, 0)), tz="Asia/Jayapura")],  # 12:00 there
     Outgoing(organisation_id=1), ("a", None, JAYAPURA_6, False, None)),
    ("urgent messages are not held", [ph("a", org=1, quiet=NIGHT)],
     Outgoing(organisation_id=1, urgent=True), ("a", None, None, False, None)),
    ("no phone healthy: the organisation's anyway",
     [ph("a", org=1, seen=None), ph("b", seen=STALE)],
     Outgoing(organisation_id=1), ("a", None, None, False, None)),
    ("every phone at its limit: wait for the next local day", [ph("a", limit=1, sent=1)],
     Outgoing(), (None, None, datetime(2026, 12, 3, 17, 0, tzinfo=UTC), False, None)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "phones", "out", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_choice(what, phones, out, expected):
    c = choose(phones, out, NOW)
    assert (c.phone, c.sim, c.wait_until, c.introduce, c.moved_from) == expected, c.reason


def test_no_phone_at_all():
    assert choose([], Outgoing(), NOW).phone is None


@pytest.mark.parametrize("text", ["22:00", "25:00-06:00", "06:00-06:00", "night"])
def test_bad_quiet_hours(text):
    with pytest.raises(ValueError):
        parse_quiet(text)
