"""The `android` sender once phones are registered: for each message it asks
`casebridge.phone_choice.choose` which phone and SIM, and when; takes a slot of that phone's
daily limit; notes on the timeline when a message moves to another phone (never its content);
and sends through that phone. With no registered phone it is the default phone's sender."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from casebridge import gsm, outbox, texts
from casebridge.messaging import HoldSend, OutboundSms, PermanentSendError, Sender, SendResult
from casebridge.models import Case, Message, Reporter
from casebridge.models.encrypted import matches
from casebridge.models.messages import MessageStatus
from casebridge.phone_choice import Outgoing, PhoneState, choose
from casebridge.timeline import record

from ...services import Services
from .phones import Phone, every
from .protocol import DEFAULT, NAME, parse_route, phone_of, route
from .sender import AndroidSender
from .state import give_back, last_seen, of_phone, sent_today, take_slot

JUST_WROTE = timedelta(minutes=10)
"""A message queued this soon after the person wrote to us answers them (a reply)."""
URGENT = frozenset({outbox.STOP_ACK, "start_ack"})


class PhonePool:
    name = NAME

    def __init__(self, services: Services, default: Sender | None):
        self.services = services
        self.default = default

    def __repr__(self) -> str:
        return f"PhonePool(default={self.default!r})"

    def send(self, message: OutboundSms) -> SendResult:
        services, settings = self.services, self.services.settings
        with services.db.session() as session:
            phones = every(session, settings)
            if all(p.name == DEFAULT for p in phones):  # one phone: exactly as before
                session.rollback()
                return self._through(DEFAULT, None, message)
            row = session.get(Message, message.message_id)
            phone, outgoing = self._choose(session, row, phones)
            session.commit()
        try:
            return self._through(phone.name, phone, outgoing)
        except Exception:
            give_back(services.redis, phone.name, phone.timezone)
            raise

    def _choose(self, session: Session, row: Message, phones: list[Phone]):
        """The phone this message leaves from, with the slot taken and the row updated."""
        redis, settings = self.services.redis, self.services.settings
        now = datetime.now(UTC)
        out = outgoing(session, row)
        by_name = {p.name: p for p in phones}
        full: set[str] = set()
        silent = timedelta(minutes=settings.phone_silent_minutes)
        for _ in phones:
            states = [state(self.services, p, p.name in full) for p in phones]
            choice = choose(states, out, now, silent)
            if choice.wait_until is not None or choice.phone is None:
                raise HoldSend(choice.wait_until or now + timedelta(minutes=5), choice.reason)
            phone = by_name[choice.phone]
            if take_slot(redis, phone.name, phone.timezone, phone.daily_limit):
                break
            full.add(phone.name)  # another worker took its last slot
        else:
            raise HoldSend(now + timedelta(minutes=5), "every phone at its daily limit")
        if choice.moved_from and row.case_id is not None:
            gone = by_name.get(choice.moved_from)
            if gone is None:
                why = "disabled"
            else:
                why = (
                    "at its daily limit" if state(self.services, gone).up(now, silent) else "silent"
                )
            record(
                session,
                session.get(Case, row.case_id),
                "message_moved",
                "system",
                f"{row.purpose or 'message'}: moved from phone {choice.moved_from} to phone "
                f"{phone.name} ({choice.moved_from} {why})",
                data={"message_id": row.id, "from": choice.moved_from, "to": phone.name},
            )
        meta = dict(row.meta or {})
        if choice.introduce and not meta.get("introduced"):
            lang = _language(session, row)
            row.body = texts.render("other_phone_intro", lang) + "\n" + row.body
            row.encoding, row.segments = gsm.segments(row.body)
            meta["introduced"] = True
        if phone_of(row.our_number) != phone.name or choice.sim is None:
            row.our_number = (
                route(choice.sim, None, phone.name)
                if phone.name != DEFAULT
                else (row.our_number if phone_of(row.our_number) == DEFAULT else None)
            )
        meta["phone"] = phone.name
        row.meta = meta
        return phone, OutboundSms(row.id, row.phone, row.body, row.our_number, meta)

    def _through(self, name: str, phone: Phone | None, message: OutboundSms) -> SendResult:
        if name == DEFAULT:
            if self.default is None:
                raise PermanentSendError(f"no sender configured for {NAME!r}", code="config")
            return self.default.send(message)
        return AndroidSender(phone).send(message)


def state(services: Services, phone: Phone, full: bool = False) -> PhoneState:
    """What the choice knows of a phone: when it was heard from, what it sent today."""
    sent = sent_today(services.redis, phone.name, phone.timezone)
    return PhoneState(
        phone.name,
        phone.organisation_id,
        phone.daily_limit,
        phone.daily_limit if full and phone.daily_limit is not None else sent,
        last_seen(services, phone.name)["at"],
        phone.quiet_hours,
        phone.timezone,
    )


def outgoing(session: Session, row: Message) -> Outgoing:
    """What the choice needs of a message: the phone and SIM it answers, whether the person
    just wrote, its case's organisation, when it was queued, the phone an earlier try chose."""
    reply_to = phone_of(row.our_number) if row.our_number else None
    wrote = reply_to is not None and session.scalar(
        select(
            exists().where(
                Message.direction == "in",
                matches(session, Message.phone_index, row.phone),
                Message.created_at >= row.created_at - JUST_WROTE,
                Message.created_at <= row.created_at + timedelta(seconds=5),
            )
        )
    )
    case = session.get(Case, row.case_id) if row.case_id is not None else None
    meta = row.meta or {}
    return Outgoing(
        reply_to=reply_to,
        sim=parse_route(row.our_number)[0],
        is_reply=bool(wrote),
        organisation_id=case.organisation_id if case is not None else None,
        queued_at=row.created_at,
        urgent=row.purpose in URGENT,
        assigned=meta.get("phone"),
    )


def _language(session: Session, row: Message) -> str:
    reporter = session.get(Reporter, row.reporter_id) if row.reporter_id else None
    return (reporter.language if reporter is not None else None) or "id"


def with_phones(services: Services, senders: dict[str, Sender]) -> dict[str, Sender]:
    """The workers' senders with `android` choosing among the phones."""
    return {**senders, NAME: PhonePool(services, senders.get(NAME))}


def failover(services: Services) -> int:
    """Periodic: messages waiting out a long retry delay on a phone that is down are due now,
    so that they move to a healthy phone at once (their send chooses the phone and notes the
    move). Messages held on purpose (quiet hours, a reply waiting for its phone) stay held.
    Returns how many were made due."""
    settings, now = services.settings, datetime.now(UTC)
    silent = timedelta(minutes=settings.phone_silent_minutes)
    with services.db.session() as session:
        phones = every(session, settings)
        if all(p.name == DEFAULT for p in phones):
            return 0
        down = [p.name for p in phones if not state(services, p).up(now, silent)]
        if not down or len(down) == len(phones):  # nowhere to move to
            return 0
        result = session.execute(
            update(Message)
            .where(
                Message.direction == "out",
                Message.provider == NAME,
                Message.status == MessageStatus.RETRYING,
                Message.next_attempt_at > now + timedelta(minutes=5),
                or_(Message.error.is_(None), ~Message.error.startswith("held:")),
                or_(*(of_phone(name) for name in down)),
            )
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


def failover_sweep() -> int:
    """`failover` on the workers' tick."""
    from workers.runtime import current

    rt = current()
    return failover(Services(rt.settings, rt.db, rt.redis))
