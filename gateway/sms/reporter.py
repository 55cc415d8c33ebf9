"""What a reporter's SMS does: LAPOR, STATUS, INFO, BANTUAN, BAHASA, an answer to the report
dialogue, a message joining their open case, or (anything else) the start of a report.

A file (photo, document, voice note) sent while a report is being made is kept for the case it
becomes; sent later it joins their open case; sent with no case, it starts a report.

Replies to what a reporter asked (the dialogue's questions, STATUS, INFO, BANTUAN, BAHASA) are
sent because they just asked for them. Nothing else reaches a reporter who said SMS is not safe:
not even the acknowledgement of a message joining their case."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case as when
from sqlalchemy import select

from casebridge import actions, attachments, casestatus, notify, outbox, refs
from casebridge.casestatus import CaseStatus
from casebridge.models import Case, utcnow
from casebridge.status import OPEN_STATUSES

from ..pin_tries import RedisPinTries
from . import conversation
from .keywords import Command
from .turn import Turn

RESOLVED_JOINABLE = timedelta(days=30)
"""A message after a case was resolved still joins it for this long (a thank-you, a relapse)."""
STATUS_CASES_MAX = 3


def run(turn: Turn, command: Command | None) -> None:
    if command is None:
        _message(turn)
        return
    if command.lang:
        turn.lang = command.lang
    if command.name == "report":
        conversation.start(turn, command.rest if command.exact else turn.text)
    elif command.name == "status":
        _status(turn, command)
    elif command.name == "language":
        if turn.reporter is not None:
            turn.reporter.language = command.rest
        turn.lang = command.rest
        turn.reply("language_set")
    else:  # info, help
        turn.reply(command.name)


def _message(turn: Turn) -> None:
    files = attachments.of_message(turn.session, turn.message.id)
    state = conversation.load(turn)
    if state is not None:
        if files and not turn.text.strip():
            turn.reply("file_kept")  # joins the case the report becomes (intake)
        else:
            conversation.answer(turn, state)
        return
    case = joinable_case(turn)
    if case is not None:
        attachments.attach(turn.session, case, files)
        join(turn, case, files)
    elif not turn.text.strip() and not files:
        turn.reply("empty")
    else:
        conversation.start(turn, turn.text)


def joinable_case(turn: Turn) -> Case | None:
    """The reporter's case a plain message belongs to: one waiting for their answer first,
    then the most recent open one (or one resolved lately)."""
    if turn.reporter is None:
        return None
    return turn.session.scalar(
        select(Case)
        .where(
            Case.reporter_id == turn.reporter.id,
            Case.status.in_(OPEN_STATUSES)
            | ((Case.status == "resolved") & (Case.resolved_at > utcnow() - RESOLVED_JOINABLE)),
        )
        .order_by(when((Case.status == "needs_info", 0), else_=1), Case.created_at.desc())
        .limit(1)
    )


def join(turn: Turn, case: Case, files: list | None = None) -> None:
    """The message (and its files) joins the case and reaches its organisation's caseworkers."""
    text = turn.text.strip() or " ".join(f"[{f.kind}]" for f in files or ())
    actions.add_reporter_message(turn.session, case, text)
    turn.track(
        notify.alert_caseworkers(
            turn.session,
            case,
            case.organisation,
            "cw_reporter_message",
            turn.default_provider,
            text=text,
        )
    )
    if outbox.sms_safe(case):
        org = notify.org_name(case.organisation, turn.lang)
        turn.reply("message_added", case=case, ref=refs.format_ref(case.reference), org=org)


def _status_line(view: CaseStatus, lang: str) -> str:
    return notify.status_text(refs.format_ref(view.reference), view.status, view.organisation, lang)


def _status(turn: Turn, command: Command) -> None:
    if command.ref is None:
        views = casestatus.for_phone(turn.session, turn.phone, turn.channel, limit=STATUS_CASES_MAX)
        if not views:
            turn.reply("status_none")
            return
        turn.send("\n".join(_status_line(v, turn.lang) for v in views))
        return
    tries = RedisPinTries(turn.services.redis, turn.settings.data_keys)
    secret_key = turn.services.settings.secret_key
    found = casestatus.find(
        turn.session, command.ref, command.pin, turn.phone, tries, turn.channel, secret_key
    )
    if found == "locked":
        turn.reply("status_locked")
    elif found is None:
        turn.reply("status_not_found")
    else:
        turn.send(_status_line(found, turn.lang))
