"""Lists a choice screen fills in at run time (`source:` in a menu file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from casebridge import refs, taxonomy
from casebridge.texts import status_word

from .answers import answers_for_ctx
from .context import CaseStatus, UssdContext
from .layout import clean
from .menu import Menu

ITEM_MAX = 44
"""Longest label of a listed item, in characters."""
CASES_MAX = 20
"""Most cases listed for one phone."""

SOURCES = ("destinations", "categories", "organisations", "my_cases", "candidates")


@dataclass(frozen=True)
class Item:
    """A listed item: its label, the answers choosing it records, data for the next screen."""

    label: str
    answers: dict[str, Any] = field(default_factory=dict)
    carry: dict[str, Any] = field(default_factory=dict)


@cache
def _destinations(lang: str) -> tuple[Item, ...]:
    return tuple(
        Item(clean(taxonomy.country_name(code, lang), ITEM_MAX), {"country": code})
        for code in taxonomy.DESTINATIONS
    )


@cache
def _categories(lang: str) -> tuple[Item, ...]:
    return tuple(
        Item(clean(taxonomy.category_label(code, lang), ITEM_MAX), {"category": code})
        for code in taxonomy.CATEGORIES
    )


def display_ref(reference: str) -> str:
    """A reference as people see it: NNNN-NNNN."""
    digits = refs.normalise(reference)
    return refs.format_ref(digits) if digits else clean(reference, 12)


def status_label(status: str, menu: Menu, lang: str) -> str:
    """The neutral word for a case status (shared with SMS)."""
    try:
        return status_word(status, lang)
    except KeyError:
        return menu.text(lang, "case", "unknown")


def case_carry(case: CaseStatus) -> dict[str, Any]:
    """What the case screen shows: a reference, a status, an organisation. Nothing else."""
    return {"ref": display_ref(case.reference), "status": case.status, "org": case.organisation}


def items(source: str, state: dict, ctx: UssdContext, menu: Menu) -> list[Item]:
    """The items of a source for this state; [] for an unknown source."""
    lang = state["lang"]
    if source == "destinations":
        return list(_destinations(lang))
    if source == "categories":
        return list(_categories(lang))
    if source == "organisations":
        return [
            Item(clean(name, ITEM_MAX), {"organisation": code, "_org_name": clean(name, ITEM_MAX)})
            for code, name in ctx.org_choices(answers_for_ctx(state["ans"]), lang)
        ]
    if source == "my_cases":
        found = []
        for case in ctx.cases_for_phone(state["phone"])[:CASES_MAX]:
            word = status_label(case.status, menu, lang)
            label = clean(f"{display_ref(case.reference)} {word}", ITEM_MAX)
            found.append(Item(label, carry=case_carry(case)))
        return found
    if source == "candidates":
        found = []
        for entry in state["tmp"].get("cand") or ():
            if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], dict):
                found.append(Item(clean(entry[0], ITEM_MAX), dict(entry[1])))
        return found
    return []
