"""The case as the network shares it: `GET /api/v1/cases/<reference>`, webhooks and exports all
show this one shape (documented in docs/exports.md).

Phone numbers are masked unless the caller asked for them and may see them (`may_reveal`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import phones, refs
from .audit import AUDIT_KINDS
from .models import Attachment, AttachmentStatus, Case, CaseEvent, Organisation, Party

INTERNAL_KINDS = frozenset({"note", "party", "reporter_message"})
"""Timeline entries only the organisations working the case read: their notes, the parties
they added, the reporter's later messages."""

HELD = frozenset({"accepted", "in_progress", "needs_info", "resolved", "closed"})
"""Statuses in which the organisation holding a case has taken it on."""


def may_reveal(case: Case, org: Organisation | None) -> bool:
    """Full phone numbers: for the console (no organisation), a coordinator, or the organisation
    that has accepted the case and must call back; never for one merely offered it."""
    if org is None or org.is_coordinator:
        return True
    return case.organisation_id == org.id and case.status in HELD


def iso(value: datetime | None) -> str | None:
    """UTC time as ISO 8601 with a `Z`, to the second."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _phone(value: str | None, reveal: bool) -> str | None:
    if not value:
        return None
    return value if reveal else phones.mask(value)


def _contact(value: str | None, reveal: bool) -> str | None:
    """A party's contact: masked like a phone number when it is one."""
    if not value or reveal:
        return value
    return phones.mask(value) if phones.normalise(value) else value


def summary(case: Case) -> dict[str, Any]:
    """What a list shows of a case."""
    worker = case.worker
    return {
        "reference": refs.format_ref(case.reference),
        "status": case.status,
        "overdue": case.overdue,
        "category": case.category,
        "channel": case.channel,
        "organisation": case.organisation.code if case.organisation else None,
        "country": worker.country,
        "province": worker.province,
        "regency": worker.regency,
        "gender": worker.gender,
        "created_at": iso(case.created_at),
        "assigned_at": iso(case.assigned_at),
        "accepted_at": iso(case.accepted_at),
        "resolved_at": iso(case.resolved_at),
        "closed_at": iso(case.closed_at),
    }


def party(p: Party, reveal: bool = False) -> dict[str, Any]:
    return {
        "role": p.role,
        "name": p.name,
        "contact": _contact(p.contact, reveal),
        "cooperative": p.cooperative,
        "note": p.note,
        "added_at": iso(p.created_at),
    }


def attachment(a: Attachment) -> dict[str, Any]:
    """A file the reporter sent, as listed (the file itself: its own route)."""
    return {
        "id": a.id,
        "kind": a.kind,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "received_at": iso(a.received_at),
        "channel": a.channel,
    }


def event(e: CaseEvent) -> dict[str, Any]:
    return {
        "at": iso(e.at),
        "kind": e.kind,
        "actor": e.actor,
        "note": e.note,
        "from_status": e.from_status,
        "to_status": e.to_status,
    }


def full(
    case: Case,
    referrals: list[dict[str, Any]] | None = None,
    reveal: bool = False,
    internal: bool = True,
) -> dict[str, Any]:
    """The whole case: people, problem, parties, referrals and timeline (reads left out).
    `referrals` comes from `casebridge.referrals.for_cases`. `internal=False` (the organisation
    that only filed the case): without the parties, referrals and internal notes of the
    organisations working it, nor the reporter's files. `attachments` lists the files kept."""
    reporter, worker = case.reporter, case.worker
    view = summary(case)
    view.update(
        {
            "description": case.description,
            "language": case.language,
            "consent_to_share": case.consent_to_share,
            "recording_url": case.recording_url,
            "reporter": {
                "phone": _phone(reporter.phone, reveal),
                "name": reporter.name,
                "relationship": case.relationship_,
                "language": reporter.language,
                "sms_safe": reporter.sms_safe,
                "opted_out": reporter.opted_out,
            },
            "worker": {
                "name": worker.name,
                "gender": worker.gender,
                "phone": _phone(worker.phone, reveal),
                "country": worker.country,
                "province": worker.province,
                "regency": worker.regency,
            },
            "parties": [party(p, reveal) for p in case.parties],
            "referrals": [
                {**r, "at": iso(r["at"]), "decided_at": iso(r["decided_at"])}
                for r in referrals or []
            ],
            "attachments": [
                attachment(a) for a in case.attachments if a.status == AttachmentStatus.STORED
            ],
            "timeline": [
                event(e)
                for e in case.events
                if e.kind not in AUDIT_KINDS and (internal or e.kind not in INTERNAL_KINDS)
            ],
        }
    )
    if not internal:
        view["parties"], view["referrals"], view["attachments"] = [], [], []
    for key in ("country", "province", "regency", "gender"):
        view.pop(key)
    return view
