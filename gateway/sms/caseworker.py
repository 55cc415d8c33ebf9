"""Caseworkers' SMS commands (TERIMA, TOLAK, UPDATE/#, INFO/KASUS, PERLU, SELESAI, RUJUK).

Accepted only from a phone registered to the organisation the case is assigned to (or, for
TERIMA, TOLAK and INFO, to the organisation it was referred to). Anything else, an unknown
reference included, gets the same neutral "not recognised". Each command is a timeline event
(casebridge.actions), is confirmed to the caseworker, and queues the reporter's neutral notice
when there is one. A phone that is also an active account's (`User.phone`) in the acting
organisation acts as that person (`person:<id>`), as on the web."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from casebridge import access, actions, audit, caseview, notify, outbox, phones, refs, taxonomy
from casebridge import texts as case_texts
from casebridge.forwarding import texts as forwarding_texts
from casebridge.models import Case, Caseworker, Message, Organisation, User
from casebridge.status import TransitionError

from . import keywords, texts
from .keywords import Command
from .turn import Turn

log = logging.getLogger(__name__)
REFERRAL_COMMANDS = ("accept", "decline", "case_info")
DESCRIPTION_MAX = 300


def organisations(session, phone: str) -> list[Organisation]:
    """The active organisations this phone is an active caseworker of."""
    return list(
        session.scalars(
            select(Organisation)
            .join(Caseworker, Caseworker.organisation_id == Organisation.id)
            .where(
                Caseworker.phone == phone,
                Caseworker.active.is_(True),
                Organisation.active.is_(True),
            )
            .order_by(Organisation.id)
        )
    )


def not_recognised(turn: Turn, command: Command | None = None) -> None:
    if command is not None and command.lang:
        turn.lang = command.lang
    log.info("SMS command refused for %s", phones.mask(turn.phone))
    turn.reply("cw.not_recognised")


def _find(turn: Turn, command: Command, orgs: list[Organisation]):
    """The case and the organisation acting on it: found through `casebridge.access` as on
    every other path, then narrowed: the organisation holding the case may use any command,
    one it was referred to only TERIMA, TOLAK and INFO. (None, None) when neither."""
    referred = None
    for org in orgs:
        case = access.get_case(turn.session, org, command.ref, lock=True)
        if case is None:
            continue
        if case.organisation_id == org.id:
            return case, org
        wants_referral = referred is None and command.name in REFERRAL_COMMANDS
        if wants_referral and actions.pending_referral(turn.session, case, org) is not None:
            referred = (case, org)
    return referred or (None, None)


def run(turn: Turn, command: Command, orgs: list[Organisation]) -> None:
    turn.lang = command.lang or forwarding_texts.language_of(orgs[0].languages)
    if command.ref is None:
        turn.reply(f"cw.usage.{command.name}")
        return
    case, org = _find(turn, command, orgs) if keywords.is_valid_ref(command.ref) else (None, None)
    if case is None or org is None:
        not_recognised(turn)
        return
    ref = refs.format_ref(case.reference)
    queued = len(turn.queued)
    try:
        with turn.session.begin_nested():  # a refused command leaves nothing half-done
            COMMANDS[command.name](turn, case, org, command, actor_of(turn, org))
    except TransitionError:
        del turn.queued[queued:]
        status = case_texts.status_word(case.status, turn.lang)
        turn.reply("cw.cannot", case=case, ref=ref, status=status)
    except actions.ActionError as exc:
        del turn.queued[queued:]
        _refused(turn, case, exc, command)


def actor_of(turn: Turn, org: Organisation) -> str:
    """Who a command is from: the person with an account on this phone in `org` (so an UPDATE
    by SMS and one on the web show the same name), else the directory's caseworker phone."""
    user = turn.session.scalar(
        select(User)
        .where(User.phone == turn.phone, User.organisation_id == org.id, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return audit.person(user) if user is not None else f"caseworker:{turn.phone}"


def _refused(turn: Turn, case: Case, exc: actions.ActionError, command: Command) -> None:
    ref = refs.format_ref(case.reference)
    if exc.code == "text_required":
        turn.reply(f"cw.usage.{command.name}")
    elif exc.code == "consent_required":
        turn.reply("cw.consent_missing", case=case, ref=ref)
    elif exc.code == "unknown_organisation":
        code = (command.rest.split() or ["-"])[0].upper()
        turn.reply("cw.unknown_org", case=case, code=notify.clean_words(code, 40))
    elif exc.code in ("same_organisation", "coordinator"):
        turn.reply(f"cw.{exc.code}", case=case, ref=ref)
    else:
        not_recognised(turn)


def _confirm(turn: Turn, done: actions.Done, key: str, **values) -> None:
    """Tell the reporter what the change means for them, then confirm to the caseworker."""
    notice = notify.tell_reporter(turn.session, done.case, done.notice, turn.default_provider)
    turn.track(notice)
    body = texts.render(key, turn.lang, ref=refs.format_ref(done.case.reference), **values)
    if done.notice is not None:
        body += " " + texts.render("cw.told" if notice is not None else "cw.not_told", turn.lang)
    turn.send(body, case=done.case)


def _accept(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    done = actions.accept(turn.session, case, org, actor, command.rest or None)
    _confirm(turn, done, "cw.accepted", org=org.name)


def _decline(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    done = actions.decline(turn.session, case, org, actor, command.rest)
    referral = done.event.kind == "referral_declined"
    _confirm(turn, done, "cw.referral_declined" if referral else "cw.declined")


def _update(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    done = actions.update(turn.session, case, org, actor, command.rest)
    _confirm(turn, done, "cw.updated")


def _need_info(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    done = actions.need_info(turn.session, case, org, actor, command.rest)
    _confirm(turn, done, "cw.asked")


def _done(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    done = actions.resolve(turn.session, case, org, actor, command.rest)
    _confirm(turn, done, "cw.resolved")


def _refer(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    words = command.rest.split()
    code = words[0].upper() if words else ""
    target = turn.session.scalar(select(Organisation).where(func.upper(Organisation.code) == code))
    attested = keywords.has_consent_word(words[1:2])
    reason = " ".join(words[2:] if attested else words[1:])
    if not code:
        raise actions.ActionError("text_required", "an organisation code is required")
    consent = case.consent_to_share or attested
    done = actions.refer(turn.session, case, org, actor, target, reason, consent)
    _confirm(turn, done, "cw.referred", target=target.name)


def _info(turn: Turn, case: Case, org: Organisation, command: Command, actor: str) -> None:
    lang = turn.lang
    worker = case.worker
    reporter = case.reporter
    gender = worker.gender if worker.gender != "unspecified" else None
    who = ", ".join(p for p in (worker.name, gender and taxonomy.gender_label(gender, lang)) if p)
    if not reporter.phone:  # its personal data removed (`casebridge.retention`)
        phone = "-"
    elif caseview.may_reveal(case, org):
        phone = reporter.phone
    else:
        phone = phones.mask(reporter.phone)
    relation = taxonomy.relationship_label(case.relationship_, lang)
    last = turn.session.scalar(
        select(Message.status)
        .where(Message.case_id == case.id, Message.reporter_id == reporter.id)
        .order_by(Message.id.desc())
        .limit(1)
    )
    safe = outbox.sms_safe(case) and not reporter.opted_out
    body = texts.render(
        "cw.info",
        lang,
        ref=refs.format_ref(case.reference),
        status=case_texts.status_word(case.status, lang),
        category=taxonomy.category_label(case.category, lang),
        place=forwarding_texts.place(worker.country, worker.province, worker.regency, lang),
        worker=notify.clean_words(who, 120) or texts.lookup("cw.unknown", lang),
        reporter=f"{phone} ({relation})",
        safe=texts.lookup("cw.safe_yes" if safe else "cw.safe_no", lang),
        last_sms=texts.lookup("cw.info_last_sms_failed", lang) if last == "failed" else "",
        description=notify.clean_words(case.description or "", DESCRIPTION_MAX),
    )
    audit.read(turn.session, case, org, "INFO by SMS", via="sms", who=actor)
    turn.send(body.strip(), case=case)


COMMANDS = {
    "accept": _accept,
    "decline": _decline,
    "update": _update,
    "need_info": _need_info,
    "done": _done,
    "refer": _refer,
    "case_info": _info,
}
