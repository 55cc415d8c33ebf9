"""The `db:` block of a scenario: what the database must hold after a step, or at the end.

db:
  cases: 1                      # rows in `cases` (and `intakes`: rows in `intakes`)
  case:                         # the newest case, with this reference / reporter if given
    reference: "{digits:ref}"
    reporter.phone: "+60129876543"
    status: assigned            # any attribute, dotted through its relations:
    organisation.code: SBMI-BWI #   worker.country, reporter.sms_safe, relationship_ ...
    description: {contains: gaji}   # a text holding this, where equality is too much
    events: [created, "status:assigned"]   # on its timeline ("status:<to>" for a move)
    no_events: [read]           # not on it
    notes: ["di luar wilayah"]  # in the timeline's notes
  reporter:                     # the reporter with this phone
    phone: "+6281299990006"
    opted_out: true
    contact_events: [opt_out, opt_in]   # STOP/MULAI and the like, oldest first
  messages:                     # rows of `messages` picked by direction, phone, purpose:
    - {direction: in, phone: "+6281299990006", statuses: [done, duplicate]}  # all, oldest first
    - {direction: out, phone: "+6281299990006", count: 1}                    # how many
    - {direction: out, phone: "+6281299990006", purpose: confirmation,
       status: failed, error: {contains: DeliveryFailure}}                   # the newest one
  sessions:                     # channel sessions, by the name the scenario gave them
    A: {status: completed, last_screen: done, case_reference: "{digits:ref}"}
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from casebridge import refs
from casebridge.models import Case, ChannelSession, ContactEvent, Intake, Message, Reporter
from tests.conftest import phone_index

KEYS = ("cases", "intakes", "case", "reporter", "messages", "sessions")
CASE_LISTS = ("events", "no_events", "notes")
MESSAGE_FILTERS = ("direction", "phone", "purpose")


def check(services, spec: dict, sessions: dict[str, str], where: str) -> None:
    """Assert `spec` of the database; `sessions` maps the scenario's session names to ids."""
    if not spec:
        return
    unknown = set(spec) - set(KEYS)
    assert not unknown, f"{where}: unknown db keys {sorted(unknown)} (known: {KEYS})"
    with services.db.session() as session:
        for key, table in (("cases", Case), ("intakes", Intake)):
            if key in spec:
                count = session.scalar(select(func.count()).select_from(table))
                assert count == spec[key], f"{where}: {count} {key}, not {spec[key]}"
        if "case" in spec:
            _case(session, spec["case"], where)
        if "reporter" in spec:
            _reporter(session, spec["reporter"], where)
        for wanted in spec.get("messages") or []:
            _messages(session, wanted, where)
        for name, fields in (spec.get("sessions") or {}).items():
            assert name in sessions, f"{where}: no session named {name} (known: {list(sessions)})"
            row = session.scalars(
                select(ChannelSession).where(ChannelSession.session_id == sessions[name])
            ).one_or_none()
            assert row is not None, f"{where}: the end of session {name} was not recorded"
            _fields(row, fields, f"{where}: session {name}")


def _case(session, spec: dict, where: str) -> None:
    query = select(Case).order_by(Case.id.desc())
    if "reference" in spec:
        query = query.where(Case.reference == spec["reference"])
    if "reporter.phone" in spec:
        query = query.join(Reporter, Reporter.id == Case.reporter_id).where(
            Reporter.phone_index == phone_index(spec["reporter.phone"])
        )
    case = session.scalars(query).first()
    assert case is not None, f"{where}: no case like {spec}"
    assert refs.is_valid(case.reference), f"{where}: reference {case.reference!r}"
    _fields(case, {k: v for k, v in spec.items() if k not in CASE_LISTS}, f"{where}: case")
    kinds = [e.kind if e.kind != "status" else f"status:{e.to_status}" for e in case.events]
    for kind in spec.get("events", []):
        assert kind in kinds, f"{where}: no {kind!r} event in {kinds}"
    for kind in spec.get("no_events", []):
        assert kind not in kinds, f"{where}: {kind!r} event in {kinds}"
    notes = " | ".join(e.note or "" for e in case.events)
    for text in spec.get("notes", []):
        assert text in notes, f"{where}: {text!r} not in the timeline notes {notes!r}"


def _reporter(session, spec: dict, where: str) -> None:
    reporter = session.scalar(
        select(Reporter).where(Reporter.phone_index == phone_index(spec["phone"]))
    )
    assert reporter is not None, f"{where}: no reporter {spec['phone']}"
    fields = {k: v for k, v in spec.items() if k != "contact_events"}
    _fields(reporter, fields, f"{where}: reporter")
    if "contact_events" in spec:
        kinds = list(
            session.scalars(
                select(ContactEvent.kind)
                .where(ContactEvent.reporter_id == reporter.id)
                .order_by(ContactEvent.id)
            )
        )
        assert kinds == spec["contact_events"], f"{where}: contact events {kinds}"


def _messages(session, spec: dict, where: str) -> None:
    query = select(Message).order_by(Message.id)
    for name in MESSAGE_FILTERS:
        if name == "phone" and name in spec:  # encrypted: found by its blind index
            query = query.where(Message.phone_index == phone_index(spec[name]))
        elif name in spec:
            query = query.where(getattr(Message, name) == spec[name])
    rows = list(session.scalars(query))
    label = f"{where}: messages { ({k: spec[k] for k in MESSAGE_FILTERS if k in spec}) }"
    if "count" in spec:
        assert len(rows) == spec["count"], f"{label}: {len(rows)}, not {spec['count']}"
    if "statuses" in spec:
        assert [m.status for m in rows] == spec["statuses"], f"{label}: {[m.status for m in rows]}"
    fields = {k: v for k, v in spec.items() if k not in (*MESSAGE_FILTERS, "count", "statuses")}
    if fields:
        assert rows, f"{label}: none"
        _fields(rows[-1], fields, f"{label}, the newest")


def _fields(obj: Any, fields: dict, label: str) -> None:
    for path, want in fields.items():
        actual = obj
        for part in path.split("."):
            actual = getattr(actual, part)
        if isinstance(want, dict):
            assert set(want) == {"contains"}, f"{label}.{path}: only {{contains: text}} is known"
            assert want["contains"] in (actual or ""), f"{label}.{path}: {actual!r}"
        else:
            assert actual == want, f"{label}.{path}: {actual!r}, not {want!r}"
