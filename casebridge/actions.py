"""What an organisation does to a case: accept, decline, take, give, update, ask, resolve,
close, note, refer, and a reporter's later message joining the case.

Used by the SMS commands and the org API alike. Each operation checks that the organisation may
act, changes the case only through `casebridge.timeline` (so the timeline cannot be forgotten),
refuses a move the status machine does not allow with `status.TransitionError` (nothing
changed), and returns what the reporter must be told as a `Notice`; `casebridge.notify` turns
that into a neutral SMS. Nothing here sends or commits: an organisation a case moves to (or is
referred to) learns of it through `casebridge.forwarding`, scheduled in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .assignment import assign
from .audit import person
from .forwarding.schedule import referred
from .models import Case, CaseEvent, Organisation, Referral, User, utcnow
from .models.cases import ReferralState
from .routing import CaseFacts, route
from .status import TransitionError, is_open
from .timeline import record, transition

REPORTER_ACTOR = "reporter:sms"
ROUTING_ACTOR = "system:routing"


@dataclass(frozen=True)
class Notice:
    """What the reporter should hear. `kind`: "status" (the new status word), "words" (the
    organisation's own words), "question" (it needs information), "resolved" (with optional
    words)."""

    kind: str
    words: str | None = None


@dataclass(frozen=True)
class Done:
    """The result of an operation: its main timeline event and what to tell whom."""

    case: Case
    event: CaseEvent
    notice: Notice | None = None
    assigned_to: Organisation | None = None
    """The organisation the case now waits on, when the operation moved it (decline, refer)."""


class ActionError(ValueError):
    """The operation cannot be done; `code` says why: "not_allowed" (answer as if the case did
    not exist), "text_required", "consent_required", "unknown_organisation", "same_organisation",
    "coordinator", "not_colleague" (the person is not of the organisation holding the case),
    "case_closed"."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def may_act(case: Case, org: Organisation) -> bool:
    """The organisation the case is assigned to may act on it; so may a coordinator."""
    return case.organisation_id == org.id or org.is_coordinator


def pending_referral(session: Session, case: Case, org: Organisation) -> Referral | None:
    """A referral of this case to `org` that nobody has decided yet."""
    return session.scalar(
        select(Referral)
        .where(
            Referral.case_id == case.id,
            Referral.to_organisation_id == org.id,
            Referral.state == ReferralState.PENDING,
        )
        .order_by(Referral.id.desc())
    )


def _check(case: Case, org: Organisation) -> None:
    if not may_act(case, org):
        raise ActionError("not_allowed", "this organisation may not act on this case")


def _required(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionError("text_required", f"{what} is required")
    return text


def accept(
    session: Session, case: Case, org: Organisation, actor: str, note: str | None = None
) -> Done:
    """The organisation takes the case; a pending referral to it is accepted on the way."""
    referral = None if case.organisation_id == org.id else pending_referral(session, case, org)
    if referral is not None:
        if case.status not in ("assigned", "accepted", "in_progress", "needs_info"):
            raise TransitionError(case.status, "assigned")
        referral.state, referral.decided_at = ReferralState.ACCEPTED, utcnow()
        assign(session, case, org, actor, f"referral accepted by {org.code}")
    else:
        _check(case, org)
    event = transition(session, case, "accepted", actor, note, organisation_id=org.id)
    return Done(case, event, Notice("status"), assigned_to=org if referral else None)


def decline(session: Session, case: Case, org: Organisation, actor: str, reason: str) -> Done:
    """The organisation will not take the case: it goes to the next best organisation that has
    not declined it, else the coordinator. A declined referral leaves the case where it was."""
    reason = _required(reason, "a reason")
    referral = None if case.organisation_id == org.id else pending_referral(session, case, org)
    if referral is not None:
        referral.state, referral.decided_at = ReferralState.DECLINED, utcnow()
        event = record(session, case, "referral_declined", actor, reason, organisation_id=org.id)
        return Done(case, event)
    _check(case, org)
    if org.is_coordinator:
        raise ActionError("coordinator", "the coordinator refers a case instead of declining it")
    event = transition(session, case, "declined", actor, reason, organisation_id=org.id)
    declined = {
        e.organisation_id for e in case.events if e.to_status == "declined" and e.organisation_id
    }
    worker = case.worker
    facts = CaseFacts(case.category, worker.country, worker.province, worker.regency)
    decision = route(session, facts, exclude=declined | {org.id})
    target = decision.organisation
    assign(
        session,
        case,
        target,
        ROUTING_ACTOR,
        f"routed to {target.code if target else 'nobody'} after {org.code} declined: "
        f"{decision.reason}",
    )
    return Done(case, event, assigned_to=target)


def _assign_person(
    session: Session, case: Case, org: Organisation, actor: str, user: User, kind: str
) -> Done:
    _check(case, org)
    holder = case.organisation_id
    if not user.active or holder is None or user.organisation_id != holder:
        raise ActionError(
            "not_colleague", "that person does not work for the organisation holding the case"
        )
    if not is_open(case.status):
        raise ActionError("case_closed", "the case is no longer open")
    case.assignee_id = user.id
    event = record(
        session,
        case,
        kind,
        actor,
        user.name,
        organisation_id=org.id,
        data={"assignee": person(user)},
    )
    return Done(case, event)


def take(session: Session, case: Case, org: Organisation, actor: str, user: User) -> Done:
    """The person `user` (acting as `actor`) works the case from now on."""
    return _assign_person(session, case, org, actor, user, "taken")


def give(session: Session, case: Case, org: Organisation, actor: str, to: User) -> Done:
    """Hand the case to a colleague in the organisation holding it."""
    return _assign_person(session, case, org, actor, to, "given")


def update(session: Session, case: Case, org: Organisation, actor: str, message: str) -> Done:
    """News for the reporter in the organisation's words; work on the case is under way."""
    message = _required(message, "a message")
    _check(case, org)
    if case.status in ("accepted", "needs_info"):
        event = transition(session, case, "in_progress", actor, message, organisation_id=org.id)
    elif case.status in ("in_progress", "resolved"):
        event = record(session, case, "update", actor, message, organisation_id=org.id)
    else:
        raise TransitionError(case.status, "in_progress")
    return Done(case, event, Notice("words", message))


def need_info(session: Session, case: Case, org: Organisation, actor: str, question: str) -> Done:
    """Ask the reporter something; the case waits for the answer."""
    question = _required(question, "a question")
    _check(case, org)
    if case.status == "needs_info":
        event = record(session, case, "need_info", actor, question, organisation_id=org.id)
    else:
        event = transition(session, case, "needs_info", actor, question, organisation_id=org.id)
    return Done(case, event, Notice("question", question))


def resolve(
    session: Session, case: Case, org: Organisation, actor: str, message: str | None = None
) -> Done:
    message = (message or "").strip() or None
    _check(case, org)
    event = transition(session, case, "resolved", actor, message, organisation_id=org.id)
    return Done(case, event, Notice("resolved", message))


def close(
    session: Session, case: Case, org: Organisation, actor: str, note: str | None = None
) -> Done:
    _check(case, org)
    event = transition(session, case, "closed", actor, note, organisation_id=org.id)
    return Done(case, event)


STATUS_MOVES = ("in_progress", "needs_info", "resolved", "closed")
"""The statuses an organisation moves its case to with `move` (accept and decline aside)."""


def move(
    session: Session, case: Case, org: Organisation, actor: str, to: str, words: str | None
) -> Done:
    """Move the case to one of `STATUS_MOVES` with the organisation's words for the reporter
    (required for in_progress and needs_info; a note for closed)."""
    if to == "in_progress":
        return update(session, case, org, actor, words or "")
    if to == "needs_info":
        return need_info(session, case, org, actor, words or "")
    if to == "resolved":
        return resolve(session, case, org, actor, words)
    if to == "closed":
        return close(session, case, org, actor, words)
    raise ValueError(f"unknown move {to!r}; known: {', '.join(STATUS_MOVES)}")


def note(session: Session, case: Case, org: Organisation, actor: str, text: str) -> Done:
    """An internal note on the timeline; the reporter is not told."""
    text = _required(text, "a note")
    _check(case, org)
    return Done(case, record(session, case, "note", actor, text, organisation_id=org.id))


def refer(
    session: Session,
    case: Case,
    org: Organisation,
    actor: str,
    to: Organisation | None,
    reason: str | None,
    consent: bool,
) -> Done:
    """Offer the case to another organisation; only with the reporter's consent, except for a
    case the coordinator holds because nobody covered it (that is routing: the case has not
    been shared with any organisation yet). The case moves when that organisation accepts
    (see `accept`)."""
    _check(case, org)
    if to is None or not to.active:
        raise ActionError("unknown_organisation", "no such active organisation")
    if to.id == case.organisation_id:
        raise ActionError("same_organisation", "the case is already with that organisation")
    unrouted = case.organisation is not None and case.organisation.is_coordinator
    if not consent and not unrouted:
        raise ActionError("consent_required", "the reporter has not agreed to a referral")
    if not is_open(case.status):
        raise TransitionError(case.status, "assigned")
    reason = (reason or "").strip() or "referred"
    if pending_referral(session, case, to) is None:
        referral = Referral(
            case_id=case.id,
            from_organisation_id=case.organisation_id,
            to_organisation_id=to.id,
            reason=reason,
            consent=consent,
        )
        session.add(referral)
        session.flush()
        referred(session, case, referral)
    event = record(
        session,
        case,
        "referral",
        actor,
        f"referred to {to.code}: {reason}",
        organisation_id=org.id,
        data={"to": to.code, "consent": consent},
    )
    return Done(case, event, assigned_to=to)


def add_reporter_message(session: Session, case: Case, text: str) -> Done:
    """A later message from the reporter joins the case; an answer ends `needs_info`."""
    text = _required(text, "a message")
    event = record(session, case, "reporter_message", REPORTER_ACTOR, text)
    if case.status == "needs_info":
        transition(session, case, "in_progress", REPORTER_ACTOR, "the reporter answered")
    return Done(case, event)
