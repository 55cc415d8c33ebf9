"""The other people and companies in a case (employer, agency, broker, relatives, officials),
how to reach them and whether they cooperate: knowing the actors early changes how a case is
handled (a trafficker can be a relative)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import Case, CaseEvent, Organisation, Party
from .timeline import record

ROLES = ("employer", "agency", "broker", "family", "official", "other")
"""`agency`: the recruitment agency (P3MI) or its partner abroad; `family`: a relative."""
COOPERATIVE = ("yes", "no", "unknown")
FIELDS = {"role", "name", "contact", "cooperative", "note"}
MAX = {"name": 200, "contact": 300, "note": 2000}


class PartyError(ValueError):
    """The party cannot be recorded; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def check(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a party, checked; raises PartyError naming every problem."""
    errors: dict[str, str] = {}
    for name in sorted(set(data) - FIELDS):
        errors[name] = "unknown field"
    if data.get("role") not in ROLES:
        errors["role"] = f"is required, one of {', '.join(ROLES)}"
    cooperative = data.get("cooperative", "unknown")
    if cooperative not in COOPERATIVE:
        errors["cooperative"] = f"must be one of {', '.join(COOPERATIVE)}"
    clean: dict[str, Any] = {"role": data.get("role"), "cooperative": cooperative}
    for name, limit in MAX.items():
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "must be text"
            continue
        value = (value or "").strip() or None
        if value is not None and len(value) > limit:
            errors[name] = f"must be at most {limit} characters"
        clean[name] = value
    if not clean.get("name") and "name" not in errors:
        errors["name"] = "is required"
    if errors:
        raise PartyError(errors)
    return clean


def add(
    session: Session, case: Case, org: Organisation | None, actor: str, data: dict[str, Any]
) -> tuple[Party, CaseEvent]:
    """Record a party on the case, and on its timeline (the event is returned with it)."""
    fields = check(data)
    party = Party(**fields)
    case.parties.append(party)
    event = record(
        session,
        case,
        "party",
        actor,
        f"{fields['role']}: {fields['name']} (cooperative: {fields['cooperative']})",
        organisation_id=org.id if org else None,
    )
    session.flush()
    return party, event


def edit(
    session: Session,
    case: Case,
    org: Organisation | None,
    actor: str,
    party_id: int,
    data: dict[str, Any],
) -> tuple[Party, CaseEvent]:
    """Change a party of the case (all its fields, checked as for `add`); the timeline says
    what it was and what it is now. A party of another case is refused as unknown."""
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None:
        raise PartyError({"party": "is not a party of this case"})
    fields = check(data)
    before = f"{party.role}: {party.name} (cooperative: {party.cooperative})"
    for name, value in fields.items():
        setattr(party, name, value)
    event = record(
        session,
        case,
        "party",
        actor,
        f"{before} -> {fields['role']}: {fields['name']} (cooperative: {fields['cooperative']})",
        organisation_id=org.id if org else None,
        data={"party": party.id, "edited": True},
    )
    session.flush()
    return party, event
