"""The intake pipeline: persist a report first, then turn it into exactly one routed case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import attachments, attempts, clean, notify, pins, refs, texts
from .assignment import assign
from .models import Case, Intake, Organisation, Worker, utcnow
from .models.intakes import IntakeState
from .outbox import queue_to_reporter
from .reporters import find as find_reporter
from .reporters import get_or_create
from .reports import Report
from .routing import CaseFacts, route
from .timeline import record

SWEEP_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class Receipt:
    """What the reporter is told: the reference and PIN (the same on every repeat)."""

    intake_id: int
    reference: str
    pin: str
    created: bool
    same_report: bool = True
    """False when the key was already used for another report (which was not recorded)."""


@dataclass
class Outcome:
    case_id: int
    created: bool
    message_ids: list[int] = field(default_factory=list)


def _unused_reference(session: Session) -> str:
    for _ in range(50):
        ref = refs.generate()
        taken = session.scalar(select(Intake.id).where(Intake.reference == ref))
        if taken is None:
            return ref
    raise RuntimeError("could not find a free case reference")  # pragma: no cover


def pin(secret_key: str, intake: Intake) -> str:
    """The intake's PIN, the same on every repeat of its report, before and after its case
    exists. Keyed by the secret key (never in the database) and the idempotency key; an intake
    recorded before that kept a random seed, deleted once its case exists."""
    return pins.derive(secret_key, intake.pin_seed or f"intake:{intake.idempotency_key}")


def find(
    session: Session, key: str, secret_key: str, report: Report | None = None
) -> Receipt | None:
    """The receipt of the intake recorded under `key`; `same_report` compares it with `report`."""
    intake = session.scalar(select(Intake).where(Intake.idempotency_key == clean.text(key)))
    if intake is None:
        return None
    same = report is None or intake.payload == report.cleaned().to_payload()
    return Receipt(intake.id, intake.reference, pin(secret_key, intake), False, same)


def record_intake(session: Session, key: str, report: Report, secret_key: str) -> Receipt:
    """Persist a report once per idempotency key; a repeat returns the first receipt (its
    `same_report` says whether the repeat carried the same report). Texts are cleaned first:
    a character the database refuses would leave the intake without its case."""
    key, report = clean.text(key), report.cleaned()
    existing = find(session, key, secret_key, report)
    if existing is not None:
        return existing
    for _ in range(5):
        intake = Intake(
            idempotency_key=key,
            channel=report.channel,
            reference=_unused_reference(session),
            payload=report.to_payload(),
        )
        try:
            with session.begin_nested():
                session.add(intake)
                session.flush()
            return Receipt(intake.id, intake.reference, pin(secret_key, intake), True)
        except IntegrityError:
            again = find(session, key, secret_key, report)
            if again is not None:
                return again
    raise RuntimeError("could not record the intake")  # pragma: no cover


OWN_PHONE_CHANNELS = frozenset({"sms", "ussd", "voice", "whatsapp"})
"""Channels where the person holding the phone answered whether SMS to it is safe."""


def _reporter(session: Session, report: Report):
    """The reporter of this phone, and whether it is new."""
    existing = find_reporter(session, report.reporter_phone)
    if existing is not None:
        return existing, False
    return get_or_create(session, report.reporter_phone, report.language), True


def _preferred(session: Session, code: str | None) -> Organisation | None:
    if not code:
        return None
    return session.scalar(select(Organisation).where(Organisation.code == code))


def process(session: Session, intake_id: int, secret_key: str, sms_provider: str) -> Outcome | None:
    """Turn an intake into its case (once, however often this runs), route it, and queue the
    reporter's confirmation. Returns None for an unknown intake."""
    intake = session.get(Intake, intake_id, with_for_update=True)
    if intake is None:
        return None
    existing = session.scalar(select(Case.id).where(Case.intake_id == intake.id))
    if existing is not None:
        intake.state, intake.case_id, intake.pin_seed = IntakeState.DONE, existing, None
        return Outcome(existing, created=False)
    intake.attempts += 1
    report = Report.from_payload(intake.payload)
    reporter_pin = pin(secret_key, intake)
    reporter, new = _reporter(session, report)
    reporter.language = report.language
    if new or report.sms_safe is False or report.channel in OWN_PHONE_CHANNELS:
        reporter.sms_safe = report.sms_safe  # a desk report may tighten it, never loosen it
    if report.reporter_name and report.relationship != "self":
        reporter.name = report.reporter_name
    worker = Worker(
        name=report.worker_name
        or (report.reporter_name if report.relationship == "self" else None),
        gender=report.worker_gender,
        phone=report.worker_phone,
        country=report.country,
        province=report.province,
        regency=report.regency,
        regency_code=report.regency_code,
    )
    preferred = _preferred(session, report.organisation)
    case = Case(
        reference=intake.reference,
        pin_hash=pins.hash_pin(reporter_pin, secret_key),
        intake_id=intake.id,
        status="new",
        category=report.category,
        description=report.description,
        channel=report.channel,
        language=report.language,
        relationship_=report.relationship,
        reporter=reporter,
        worker=worker,
        preferred_organisation=preferred,
        filed_by_organisation=_preferred(session, report.filed_by),
        consent_to_share=report.consent_to_share,
        sms_safe=report.sms_safe,
        recording_url=report.recording_url,
        recording_duration=report.recording_duration,
        training=report.training,
        created_at=intake.created_at,
    )
    session.add(case)
    session.flush()
    record(
        session,
        case,
        "created",
        f"reporter:{report.channel}",
        f"report received by {report.channel}",
    )
    attachments.link_waiting(session, case)
    decision = route(
        session,
        CaseFacts(report.category, report.country, report.province, report.regency),
        preferred=preferred,
    )
    org = decision.organisation
    assign(
        session,
        case,
        org,
        "system:routing",
        f"routed to {org.code if org else 'nobody'}: {decision.reason}",
    )
    lang = report.language
    key = "confirmation" if org is not None and not org.is_coordinator else "confirmation_no_org"
    body = texts.render(
        key,
        lang,
        ref=refs.format_ref(case.reference),
        pin=reporter_pin,
        org=notify.org_name(org, lang) if org else "",
    )
    message = queue_to_reporter(session, case, body, "confirmation", sms_provider)
    intake.state, intake.case_id, intake.processed_at = IntakeState.DONE, case.id, utcnow()
    intake.pin_seed = None
    return Outcome(case.id, created=True, message_ids=[message.id] if message else [])


def record_failure(session: Session, intake_id: int, error: str, give_up_after: int) -> bool:
    """Count a try that raised; after `give_up_after` of them the intake has failed for good
    (state `failed`, with the error) and waits for `pengaduan intakes retry`. True then."""
    intake = session.get(Intake, intake_id, with_for_update=True)
    if intake is None or intake.state == IntakeState.DONE:
        return False
    intake.attempts += 1
    intake.error = clean.text(error)[:1000]
    if intake.attempts >= give_up_after:
        intake.state = IntakeState.FAILED
    return intake.state == IntakeState.FAILED


def failed(session: Session) -> list[Intake]:
    """The intakes that failed for good, oldest first."""
    query = select(Intake).where(Intake.state == IntakeState.FAILED).order_by(Intake.id)
    return list(session.scalars(query))


def retry(session: Session, intake_ids: list[int]) -> list[int]:
    """Make failed intakes pending again, their tries counted afresh; the ids made so."""
    again = []
    for intake in failed(session):
        if not intake_ids or intake.id in intake_ids:
            intake.state, intake.attempts, intake.enqueued_at = IntakeState.PENDING, 0, utcnow()
            again.append(intake.id)
    return again


def stale(session: Session, older_than: timedelta = SWEEP_AFTER, limit: int = 500) -> list[int]:
    """Intakes still pending after a while (their job was lost or never enqueued), marked as
    re-enqueued now so the next sweep leaves them alone for another while."""
    waiting = Intake.state == IntakeState.PENDING
    return attempts.lost(session, Intake, waiting, Intake.enqueued_at, older_than, limit)
