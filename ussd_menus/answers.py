"""The answers a report collects, and what changes when one of them changes."""

from __future__ import annotations

from typing import Any

from casebridge.phones import normalise_for_country

from .menu import ScreenDef

ANSWER_KEYS = (
    "relationship",
    "worker_name",
    "gender",
    "country",
    "category",
    "province",
    "regency",
    "regency_code",
    "worker_phone",
    "description",
    "organisation",
    "sms_safe",
)
"""The keys the context receives. Keys starting with "_" are the engine's own notes."""


def answers_for_ctx(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the context receives them: known keys only, unanswered ones left out."""
    return {k: answers[k] for k in ANSWER_KEYS if answers.get(k) is not None}


def answered(answers: dict[str, Any]) -> int:
    """How many questions of the report have been answered (a skipped one counts)."""
    return sum(1 for k in ANSWER_KEYS if k in answers)


def record(answers: dict[str, Any], screen: ScreenDef, new: dict[str, Any]) -> None:
    """Keep new answers from `screen`, forgetting what they invalidate."""
    changed = any(k not in answers or answers[k] != v for k, v in new.items())
    answers.update(new)
    if changed:
        for key in screen.clears:
            answers.pop(key, None)
    if "organisation" in new and new["organisation"] is None:
        answers.pop("_org_name", None)
    phone, country = answers.get("worker_phone"), answers.get("country")
    if "country" in new and phone and country and not normalise_for_country(phone, country):
        # The worker's phone must be valid for the country: a new country drops an old number.
        answers.pop("worker_phone", None)
