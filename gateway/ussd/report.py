"""A USSD report: the engine's answers as a `Report`, and who will handle it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casebridge.models import Organisation
from casebridge.notify import public_name
from casebridge.reports import Report
from casebridge.routing import CaseFacts, route

CHANNEL = "ussd"


def facts(answers: dict[str, Any]) -> CaseFacts:
    """What routing looks at, from the answers so far."""
    return CaseFacts(
        answers.get("category"),
        answers.get("country"),
        answers.get("province"),
        answers.get("regency"),
    )


def to_report(answers: dict[str, Any], phone: str, lang: str) -> Report:
    """The report as every channel hands it in (the engine has checked each answer)."""
    return Report(
        channel=CHANNEL,
        reporter_phone=phone,
        language=lang,
        category=answers.get("category") or "other",
        relationship=answers.get("relationship") or "self",
        worker_name=answers.get("worker_name"),
        worker_gender=answers.get("gender") or "unspecified",
        country=answers.get("country"),
        province=answers.get("province"),
        regency=answers.get("regency"),
        regency_code=answers.get("regency_code"),
        worker_phone=answers.get("worker_phone"),
        description=answers.get("description"),
        organisation=answers.get("organisation"),
        sms_safe=answers.get("sms_safe") is True,
    )


def handler_name(session: Session, answers: dict[str, Any]) -> str | None:
    """The name of the organisation routing will choose, read-only and seconds ahead of the
    worker that routes the case: the reporter's choice when routing honours it, else the
    best match. None when only the coordinator would take it (the service still chooses)."""
    code = answers.get("organisation")
    preferred = (
        session.scalar(select(Organisation).where(Organisation.code == code)) if code else None
    )
    org = route(session, facts(answers), preferred=preferred).organisation
    return public_name(org)
