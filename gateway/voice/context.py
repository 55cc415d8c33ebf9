"""The voice engine's `VoiceContext` over the service: reports go through the intake pipeline,
status lookups through `casebridge.casestatus` (PIN tries counted first, every lookup
audited), languages onto the reporter."""

from __future__ import annotations

import hashlib
import logging
from typing import Literal

from casebridge import casestatus, phones, reporters
from casebridge.reports import Report
from ivr_scripts.context import CaseStatus, Submission, SubmitError

from ..pin_tries import RedisPinTries
from ..services import Services
from ..submit import submit_report
from . import metrics
from .jobs import enqueue_store_recording

log = logging.getLogger(__name__)
DEFAULT_CATEGORY = "other"


def idempotency_key(provider: str, call_id: str) -> str:
    """One report per call, however often the provider repeats the recording step."""
    return f"voice:{provider}:{call_id}"


def withheld_reporter(provider: str, call_id: str) -> str:
    """A reporter id for a caller whose number was withheld: unique to the call, never a phone
    (so nothing is ever sent to it, and no other call can see its case without the PIN)."""
    digest = hashlib.sha256(f"{provider}:{call_id}".encode()).hexdigest()
    return f"anon-{digest[:15]}"


class DatabaseContext:
    """What the engine asks of the service during one call."""

    def __init__(self, services: Services, provider: str, call_id: str):
        self.services = services
        self.provider = provider
        self.call_id = call_id

    def submit(
        self,
        answers: dict,
        phone: str,
        lang: str,
        recording_url: str | None,
        recording_duration: int | None,
    ) -> Submission:
        """Record the intake (idempotent per call) and enqueue it; the worker routes the case
        and sends the reference and PIN by SMS when that is safe."""
        report = Report(
            reporter_phone=phone or withheld_reporter(self.provider, self.call_id),
            category=answers.get("category") or DEFAULT_CATEGORY,
            channel="voice",
            relationship=answers.get("relationship") or "self",
            language=lang,
            sms_safe=bool(answers.get("sms_safe")) and bool(phone) and phones.is_mobile(phone),
            country=answers.get("country"),
            recording_url=recording_url,
            recording_duration=recording_duration,
        )
        key = idempotency_key(self.provider, self.call_id)
        try:
            receipt = submit_report(self.services, key, report)
        except Exception as exc:
            log.exception("voice report of call %s could not be stored", self.call_id)
            raise SubmitError(str(exc)) from exc
        if receipt.created:
            metrics.count(self.services.redis, "reports", self.provider)
            if recording_url and self.services.settings.store_recordings:
                enqueue_store_recording(
                    self.services.redis,
                    self.services.settings.data_keys,
                    self.provider,
                    receipt.reference,
                    recording_url,
                )
        return Submission(receipt.reference, receipt.pin)

    def lookup(self, reference: str, phone: str) -> CaseStatus | None:
        if not phone:
            return None
        found = self._find(reference, None, phone)
        return found if isinstance(found, CaseStatus) else None

    def lookup_with_pin(
        self, reference: str, pin: str, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        return self._find(reference, pin, phone)

    def _find(
        self, reference: str, pin: str | None, phone: str
    ) -> CaseStatus | None | Literal["locked"]:
        tries = RedisPinTries(self.services.redis, self.services.settings.data_keys)
        with self.services.db.session() as session:
            return casestatus.find(
                session, reference, pin, phone, tries, "voice", self.services.settings.secret_key
            )

    def set_language(self, phone: str, lang: str) -> None:
        """Keep the choice on a known reporter (later SMS use it); callers with no case yet
        leave no trace."""
        if not phone:
            return
        try:
            with self.services.db.session() as session:
                reporter = reporters.find(session, phone)
                if reporter is not None:
                    reporter.language = lang
        except Exception as exc:
            log.warning("could not keep the language of a caller: %s", exc)

    def language_of(self, phone: str) -> str | None:
        """The language a known reporter chose before, to greet them in it."""
        if not phone:
            return None
        try:
            with self.services.db.session() as session:
                reporter = reporters.find(session, phone)
                return reporter.language if reporter is not None else None
        except Exception as exc:
            log.warning("could not read the language of a caller: %s", exc)
            return None
