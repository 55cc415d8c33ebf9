"""The audit trail: every read of a case is an event on it, with the reader's organisation.

Changes are already on the timeline (`casebridge.timeline`); reads are recorded here as events
of kind `read`, and status lookups a PIN did not open as `pin_refused`: case views leave both
out of the timeline they show."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import phones
from .models import Case, CaseEvent, Organisation, User, utcnow
from .timeline import record

READ = "read"
PIN_REFUSED = "pin_refused"
AUDIT_KINDS = frozenset({READ, PIN_REFUSED})
"""Event kinds that belong to the audit trail only, not to the timeline people read."""

OWN_PHONE, RIGHT_PIN, WRONG_PIN, LOCKED = "own_phone", "right_pin", "wrong_pin", "locked"
LOOKUP_OUTCOMES = (OWN_PHONE, RIGHT_PIN, WRONG_PIN, LOCKED)
"""How a status lookup by phone (`casebridge.casestatus`) went; the first two showed the case."""


PERSON = "person:"
"""Actor prefix of a person with an account (`person:17`); their name is looked up when shown,
so a change done by SMS from their phone and one done on the web read as the same person."""


def actor(org: Organisation | None, via: str = "api") -> str:
    """Who did it: `api:SBMI-BWI`, or `cli` for the console."""
    return f"{via}:{org.code}" if org is not None else via


def person(user: User) -> str:
    """Who did it, when a person with an account did: `person:<id>`."""
    return f"{PERSON}{user.id}"


def person_id(actor_: str | None) -> int | None:
    """The account behind an actor string, if a person's."""
    if actor_ and actor_.startswith(PERSON) and actor_[len(PERSON) :].isdigit():
        return int(actor_[len(PERSON) :])
    return None


def names(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """The display name for each person actor among `actors` (others are left out)."""
    ids = {i for i in map(person_id, actors) if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return {f"{PERSON}{uid}": name for uid, name in rows}


def read(
    session: Session,
    case: Case,
    org: Organisation | None,
    what: str,
    via: str = "api",
    who: str | None = None,
):
    """Record that `org` read the case (`what`: the route or command); `who`: the actor when a
    person did (`person(user)`), else `actor(org, via)`."""
    return record(
        session, case, READ, who or actor(org, via), what, organisation_id=org.id if org else None
    )


def lookup(session: Session, case: Case, channel: str, outcome: str, phone: str) -> CaseEvent:
    """Record a status lookup of the case from `phone` on `channel` (ussd, voice, sms): a read
    by its reporter (`reporter:sms`) or by PIN (`pin:ussd`), or a PIN refused, with the
    outcome and the phone masked."""
    if outcome not in LOOKUP_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; known: {', '.join(LOOKUP_OUTCOMES)}")
    shown = outcome in (OWN_PHONE, RIGHT_PIN)
    who = f"{'reporter' if outcome == OWN_PHONE else 'pin'}:{channel}"
    data = {"outcome": outcome, "phone": phones.mask(phone) if phone else None}
    return record(
        session, case, READ if shown else PIN_REFUSED, who, f"status by {channel}", data=data
    )


def read_many(
    session: Session,
    case_ids: Iterable[int],
    org: Organisation | None,
    what: str,
    via: str = "api",
    who: str | None = None,
) -> int:
    """Record one read per case in a single statement (lists and exports); returns the count.
    `who` as for `read`."""
    now = utcnow()
    who = who or actor(org, via)
    rows = [
        {
            "case_id": case_id,
            "at": now,
            "kind": READ,
            "actor": who,
            "organisation_id": org.id if org else None,
            "note": what,
        }
        for case_id in case_ids
    ]
    if rows:
        session.execute(insert(CaseEvent), rows)
    return len(rows)
