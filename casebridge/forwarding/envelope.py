"""From a Forward row to the Envelope a forwarder delivers, or the reason to send nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import caseview, refs, taxonomy
from ..models import Case, Forward, Organisation, Referral
from ..referrals import for_cases
from ..settings import Settings
from . import texts
from .base import Envelope


@dataclass(frozen=True)
class Skip:
    reason: str


def _moved_on(session: Session, fwd: Forward, case: Case) -> str | None:
    """Why this forward no longer makes sense, if it does not."""
    here = case.organisation_id == fwd.organisation_id
    if fwd.event == "case.assigned":
        if not here:
            return "the case has since moved to another organisation"
        if fwd.channel == "sms" and case.status != "assigned":
            return f"the case is already {case.status}"
    elif fwd.event == "case.referred":
        referral = session.get(Referral, (fwd.data or {}).get("referral_id"))
        if referral is None or referral.state != "pending":
            return f"the referral was {referral.state if referral else 'withdrawn'} meanwhile"
    elif fwd.event in ("case.reminder", "case.escalated"):
        waiting = case.status == "assigned" and (here or fwd.event == "case.escalated")
        if not waiting:
            return f"the case is {case.status} now"
    return None


def _values(session: Session, fwd: Forward, case: Case, lang: str) -> dict[str, object]:
    worker = case.worker
    data = fwd.data or {}
    source = None
    if fwd.event == "case.referred":
        referral = session.get(Referral, data.get("referral_id"))
        origin = session.get(Organisation, referral.from_organisation_id) if referral else None
        source = origin.name if origin else "-"
    return {
        "ref": refs.format_ref(case.reference),
        "category": taxonomy.category_label(case.category, lang),
        "place": texts.place(worker.country, worker.province, worker.regency, lang),
        "org": case.organisation.name if case.organisation else "-",
        "source": source or "-",
        "hours": data.get("hours", ""),
    }


def document(session: Session, case: Case, org: Organisation, event: str, fwd_id: int) -> dict:
    """The webhook body: the case as the API shows it to `org`, plus `event` and `delivery`."""
    view = caseview.full(
        case, for_cases(session, [case.id]).get(case.id), caseview.may_reveal(case, org)
    )
    return {"event": event, "delivery": fwd_id, **view}


def build(session: Session, fwd: Forward, settings: Settings) -> Envelope | Skip:
    """The envelope for this forward's next attempt."""
    case = session.get(Case, fwd.case_id)
    org = fwd.organisation
    reason = _moved_on(session, fwd, case)
    if reason:
        return Skip(reason)
    lang = texts.language_of(org.languages)
    kind = fwd.event.split(".", 1)[1]
    if kind == "assigned" and org.is_coordinator:
        kind = "unrouted"  # the coordinator refers it on rather than declining it
    values = _values(session, fwd, case, lang)
    text = texts.render(f"sms.{kind}", lang, **values)
    subject = texts.render(f"subject.{kind}", lang, **values)
    recipients: tuple[str, ...] = ()
    doc: dict = {}
    if fwd.channel == "sms":
        if not org.forward_sms:
            return Skip("SMS forwarding was switched off in the directory")
        recipients = tuple(cw.phone for cw in org.caseworkers if cw.active)
    elif fwd.channel == "webhook":
        if not org.webhook_url:
            return Skip("the webhook was removed from the directory")
        recipients = (org.webhook_url,)
        doc = document(session, case, org, fwd.event, fwd.id)
    elif fwd.channel == "email":
        if not org.email:
            return Skip("the e-mail address was removed from the directory")
        if not settings.smtp_host:
            return Skip("e-mail is not configured (SMTP_HOST)")
        recipients = (org.email,)
        text = f"{text}\n\n{texts.render('email_footer', lang, **values)}"
        doc = document(session, case, org, fwd.event, fwd.id)
    return Envelope(
        forward_id=fwd.id,
        channel=fwd.channel,
        event=fwd.event,
        organisation=org.code,
        reference=refs.format_ref(case.reference),
        recipients=recipients,
        text=text,
        subject=subject,
        document=doc,
        secret=org.webhook_secret,
    )
