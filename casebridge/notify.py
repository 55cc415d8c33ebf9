"""Messages about a case, built from templates only (`casebridge/texts/<lang>.yaml`).

To a reporter: a reference, a status word, an organisation's public name, and words an organisation
wrote itself, prefixed with the reference and the organisation; never the category, an
employer, an agency or what happened. They are queued only when SMS to the reporter is safe and
they did not say STOP (`outbox.queue_to_reporter` checks both).

To caseworkers: a reporter's later message, when their organisation takes cases by SMS (new,
re-routed and referred cases reach organisations through `casebridge.forwarding`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from . import gsm, refs, texts
from .actions import Notice
from .forwarding.texts import language_of
from .models import Case, Message, Organisation
from .outbox import queue, queue_to_reporter, sms_safe

MAX_WORDS = 1000
"""Longest organisation text forwarded to a reporter, in characters."""


def clean_words(text: str, limit: int = MAX_WORDS) -> str:
    """Someone's free text made fit for an SMS: one line, GSM-7 only, at most `limit` long."""
    text = gsm.to_gsm7(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def telling(name: str) -> bool:
    """True when a name says what a case is about ("LBH Anti Perdagangan Orang", "Shelter
    ..."): it holds one of the `telling_words` of the texts."""
    lowered = name.lower()
    return any(w in lowered for w in texts.catalogue("id").get("telling_words", ()))


def public_name(org: Organisation | None) -> str | None:
    """What a reporter may read of an organisation: its directory `public_name` (neutral,
    checked when the directory is loaded, and checked again here). None for no organisation,
    the coordinator, and an organisation without a public name; its `name` never."""
    if org is None or org.is_coordinator or not org.public_name or telling(org.public_name):
        return None
    return org.public_name


def org_name(org: Organisation | None, lang: str) -> str:
    """How a reporter sees an organisation: its public name, else "layanan pengaduan"."""
    return public_name(org) or texts.lookup("org_service", lang)


def status_text(ref: str, status: str, org: str | None, lang: str) -> str:
    """The status of a case in a reporter's words, with the organisation's public name."""
    word = texts.status_word(status, lang)
    if org is None:
        return texts.render("status_update_no_org", lang, ref=ref, status=word)
    return texts.render("status_update", lang, ref=ref, status=word, org=org)


def reporter_text(case: Case, notice: Notice) -> str:
    """The neutral text a notice becomes, in the reporter's language."""
    lang = case.reporter.language or case.language
    ref = refs.format_ref(case.reference)
    org = org_name(case.organisation, lang)
    words = clean_words(notice.words) if notice.words else None
    if notice.kind == "words" and words:
        return texts.render("org_words", lang, ref=ref, org=org, text=words)
    if notice.kind == "question" and words:
        return texts.render("org_question", lang, ref=ref, org=org, text=words)
    if notice.kind == "resolved" and words:
        return texts.render("resolved_words", lang, ref=ref, org=org, text=words)
    return status_text(ref, case.status, public_name(case.organisation), lang)


NOTHING_TO_TELL, SMS_UNSAFE = "no_notice", "sms_unsafe"
OPTED_OUT, NO_PHONE = "opted_out", "no_phone"
"""Why nothing reaches the reporter (`Preview.withheld`)."""


@dataclass(frozen=True)
class Preview:
    """What the reporter will receive about a change: `text` (None when there is nothing to
    tell), and `withheld`, why it will not be sent (None when it will)."""

    text: str | None
    withheld: str | None = None

    @property
    def sends(self) -> bool:
        return self.text is not None and self.withheld is None


def preview(case: Case, notice: Notice | None) -> Preview:
    """Exactly the SMS `tell_reporter` queues for this notice, and whether it will leave. Call it
    with the case as the change leaves it (the status word is the new one)."""
    if notice is None:
        return Preview(None, NOTHING_TO_TELL)
    text = reporter_text(case, notice)
    if not sms_safe(case):
        return Preview(text, SMS_UNSAFE)
    if case.reporter.opted_out:
        return Preview(text, OPTED_OUT)
    if not case.reporter.phone:
        return Preview(text, NO_PHONE)
    return Preview(text)


def tell_reporter(
    session: Session, case: Case, notice: Notice | None, default_provider: str
) -> Message | None:
    """Queue what the reporter must hear about a change (None: nothing to tell, or not safe;
    `queue_to_reporter` records why on the timeline)."""
    told = preview(case, notice)
    if notice is None or told.text is None or told.withheld == NO_PHONE:
        return None
    return queue_to_reporter(session, case, told.text, f"notice_{notice.kind}", default_provider)


def alert_caseworkers(
    session: Session,
    case: Case,
    org: Organisation | None,
    key: str,
    default_provider: str,
    **values: object,
) -> list[Message]:
    """Queue the alert `key` to every active caseworker of `org` that takes cases by SMS.
    `ref` and `org` are filled in; other values are cleaned free text."""
    if org is None or not org.forward_sms:
        return []
    lang = language_of(org.languages)
    body = texts.render(
        key,
        lang,
        ref=refs.format_ref(case.reference),
        org=org.name,
        **{k: clean_words(str(v), 480) for k, v in values.items()},
    )
    sent = []
    for caseworker in org.caseworkers:
        if caseworker.active:
            message = queue(
                session, caseworker.phone, body, "caseworker_alert", default_provider, case=case
            )
            if message is not None:
                sent.append(message)
    return sent
