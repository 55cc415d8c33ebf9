"""The engine's `UssdContext` over the database, for one hop.

Only organisation choices, status lookups and submitting touch the database; a chosen
language is only noted here, and written to Redis with the session in the same round trip.
"""

from __future__ import annotations

import logging
from typing import Literal

from casebridge import casestatus
from casebridge.notify import public_name
from casebridge.routing import candidates
from ussd_menus.context import CaseStatus, Submission, SubmitError
from ussd_menus.sources import CASES_MAX

from ..pin_tries import RedisPinTries
from ..services import Services
from ..submit import submit_report
from .report import CHANNEL, facts, handler_name, to_report

log = logging.getLogger(__name__)

ORG_CHOICES = 5
"""Organisations offered to a reporter who wants to choose."""


class DbContext:
    """What the engine may ask during one hop; `key` makes the session's report idempotent."""

    def __init__(self, services: Services, key: str):
        self.services = services
        self.key = key
        self.language: str | None = None
        """A language chosen during this hop, to remember for the phone."""
        self.reference: str | None = None
        """The reference of a report filed during this hop."""

    def org_choices(self, answers: dict, lang: str) -> list[tuple[str, str]]:
        """Only organisations with a public name are offered, by that name: a reporter's
        screen never shows a name that tells what the report is about."""
        with self.services.db.session() as session:
            found = candidates(session, facts(answers), selectable_only=True)
            named = [(org.code, public_name(org)) for org in found]
            return [(code, name) for code, name in named if name][:ORG_CHOICES]

    def cases_for_phone(self, phone: str) -> list[CaseStatus]:
        with self.services.db.session() as session:
            return casestatus.for_phone(session, phone, CHANNEL, limit=CASES_MAX)

    def lookup(
        self, reference: str, pin: str | None, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        tries = RedisPinTries(self.services.redis, self.services.settings.data_keys)
        with self.services.db.session() as session:
            return casestatus.find(
                session, reference, pin, phone, tries, CHANNEL, self.services.settings.secret_key
            )

    def submit(self, answers: dict, phone: str, lang: str) -> Submission:
        """Persist the report (once per session, however often the hop is retried)."""
        try:
            receipt = submit_report(self.services, self.key, to_report(answers, phone, lang))
        except Exception as exc:
            log.warning("USSD report not stored (%s): %s", self.key, type(exc).__name__)
            raise SubmitError("the report could not be stored") from exc
        self.reference = receipt.reference
        try:
            with self.services.db.session() as session:
                org = handler_name(session, answers)
        except Exception as exc:  # the report is safe; only the name is unknown
            log.warning("USSD handler not predicted (%s): %s", self.key, type(exc).__name__)
            org = None
        return Submission(receipt.reference, receipt.pin, org)

    def set_language(self, phone: str, lang: str) -> None:
        self.language = lang
