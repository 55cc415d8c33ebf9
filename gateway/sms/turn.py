"""One inbound SMS being handled: where replies go, what was queued, what to submit after."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis import Redis
from sqlalchemy.orm import Session

from casebridge import outbox, whatsapp
from casebridge.models import Case, Message, Reporter
from casebridge.reports import Report
from casebridge.settings import Settings
from casebridge.timeline import record

from ..services import Services
from . import reply_limit, texts


@dataclass
class Turn:
    """Handling one inbound message inside one database transaction. Replies leave through the
    provider and number the message came in on; their ids are enqueued after the commit."""

    session: Session
    services: Services
    message: Message
    lang: str = "id"
    reporter: Reporter | None = None
    queued: list[int] = field(default_factory=list)
    report: Report | None = None
    """A report the dialogue completed, submitted once this turn is committed."""

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def redis(self) -> Redis:
        return self.services.redis

    @property
    def phone(self) -> str:
        return self.message.phone

    @property
    def text(self) -> str:
        return self.message.body

    @property
    def channel(self) -> str:
        """`whatsapp` (Meta's Cloud API or Twilio's `whatsapp:` addresses) or `sms`."""
        return whatsapp.channel(self.message.provider, self.message.our_number)

    @property
    def default_provider(self) -> str:
        return self.settings.sms_provider

    def send(
        self, body: str, purpose: str = "reply", case: Case | None = None, meta: dict | None = None
    ) -> None:
        """Queue a reply to the sender (nothing when they said STOP, or past the phone's
        reply limit). `meta` tells the sender more (a question's choices, for WhatsApp)."""
        if not reply_limit.allow(self.redis, self.settings.data_keys.index(self.phone)):
            if case is not None:
                record(self.session, case, "message_withheld", "system", f"{purpose}: reply limit")
            return
        message = outbox.queue(
            self.session,
            self.phone,
            body,
            purpose,
            self.message.provider,
            case=case,
            our_number=self.message.our_number,
            meta=meta,
        )
        if message is not None:
            if self.reporter is not None:
                message.reporter_id = self.reporter.id
            self.queued.append(message.id)

    def reply(self, key: str, purpose: str = "reply", case: Case | None = None, **values) -> None:
        """Queue the dialogue text `key` in this turn's language."""
        self.send(texts.render(key, self.lang, **values), purpose, case)

    def track(self, messages: list[Message] | Message | None) -> None:
        """Enqueue messages queued elsewhere (notices, alerts) after the commit too."""
        if messages is None:
            return
        for message in messages if isinstance(messages, list) else [messages]:
            self.queued.append(message.id)
