"""Referrals between organisations as the network shares them: who, to whom, why, with the
reporter's consent, and whether the receiving organisation accepted.

Making and deciding a referral is `casebridge.actions` (refer, accept, decline); this module
reads them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from .models import Organisation, Referral
from .models.cases import ReferralState


def pending_to(org: Organisation) -> Select[tuple[int]]:
    """Ids of the cases offered to `org` that it has not decided on yet."""
    return select(Referral.case_id).where(
        Referral.to_organisation_id == org.id, Referral.state == ReferralState.PENDING
    )


def find_organisation(session: Session, code: str) -> Organisation | None:
    """An active organisation by its directory code."""
    return session.scalar(
        select(Organisation).where(Organisation.code == code, Organisation.active.is_(True))
    )


def for_cases(session: Session, case_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The referrals of each case, oldest first, as plain data."""
    ids = list(case_ids)
    if not ids:
        return {}
    source, target = aliased(Organisation), aliased(Organisation)
    rows = session.execute(
        select(Referral, source.code, target.code)
        .outerjoin(source, source.id == Referral.from_organisation_id)
        .join(target, target.id == Referral.to_organisation_id)
        .where(Referral.case_id.in_(ids))
        .order_by(Referral.id)
    )
    result: dict[int, list[dict[str, Any]]] = {}
    for referral, from_code, to_code in rows:
        result.setdefault(referral.case_id, []).append(
            {
                "from": from_code,
                "to": to_code,
                "reason": referral.reason,
                "consent": referral.consent,
                "state": referral.state,
                "at": referral.created_at,
                "decided_at": referral.decided_at,
            }
        )
    return result
