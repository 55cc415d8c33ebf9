"""Who sent an inbound SMS and what it asks for: a caseworker's command, a stranger trying one,
or a reporter's keyword, dialogue answer or message."""

from __future__ import annotations

from casebridge import reporters
from casebridge.forwarding.texts import language_of

from . import caseworker, conversation, keywords, reporter
from .turn import Turn


def handle(turn: Turn) -> None:
    """Queue the replies and changes one inbound SMS calls for (STOP/MULAI were applied when
    it arrived)."""
    orgs = caseworker.organisations(turn.session, turn.phone)
    command = keywords.parse(turn.text, caseworker=bool(orgs))
    if command is not None and command.name in ("stop", "start"):
        return
    if command is not None and command.audience == keywords.CASEWORKER:
        if orgs:
            caseworker.run(turn, command, orgs)
        else:
            caseworker.not_recognised(turn, command)
        return
    if orgs and (command is None or command.name == "help") and conversation.load(turn) is None:
        turn.lang = (command.lang if command else None) or language_of(orgs[0].languages)
        turn.reply("cw.help")
        return
    person = reporters.get_or_create(turn.session, turn.phone, (command and command.lang) or "id")
    person.reply_provider = turn.message.provider
    person.reply_number = turn.message.our_number
    turn.reporter = person
    turn.lang = person.language
    turn.message.reporter_id = person.id
    reporter.run(turn, command)
