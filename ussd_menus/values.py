"""What the {placeholders} of a screen text stand for."""

from __future__ import annotations

from collections.abc import Callable

from casebridge import places, taxonomy

from .menu import REPORT_FLOW, Menu
from .sources import status_label

MISSING = "-"

PLACEHOLDERS = frozenset(
    {
        "worker",
        "gender",
        "country",
        "category",
        "province",
        "regency",
        "org",
        "sms",
        "ref",
        "pin",
        "status",
    }
)
"""Every name a text may use in braces."""


def answer_label(menu: Menu, key: str, value: object, lang: str) -> str | None:
    """The label of the report option that sets `key` to `value` ("female" -> "Perempuan")."""
    for screen in menu.screens.values():
        if screen.flow != REPORT_FLOW or screen.answer != key:
            continue
        for option in screen.options:
            if key in option.set and option.set[key] == value:
                return menu.text(lang, screen.id, option.label)
    return None


def _regency(name: str) -> str:
    return name.replace("Kabupaten ", "Kab. ", 1)


def lookup(menu: Menu, state: dict) -> Callable[[str], str | None]:
    """A function giving the value of one placeholder for this state (None: unknown name)."""
    ans, tmp, lang = state["ans"], state["tmp"], state["lang"]

    def value(name: str) -> str | None:
        if name not in PLACEHOLDERS:
            return None
        found = None
        if name in ("ref", "pin"):
            found = tmp.get(name)
        elif name == "status":
            found = status_label(str(tmp.get("status", "")), menu, lang)
        elif name == "org":
            found = tmp.get("org") or (ans.get("_org_name") if ans.get("organisation") else None)
            found = found or menu.text(lang, "summary", "service")
        elif name == "worker":
            found = ans.get("worker_name")
        elif name == "gender":
            found = answer_label(menu, "gender", ans.get("gender"), lang)
        elif name == "country":
            found = taxonomy.country_name(ans["country"], lang) if ans.get("country") else None
        elif name == "category":
            code = ans.get("category")
            found = taxonomy.category_label(code, lang) if code else None
        elif name == "province":
            prov = places.province(ans["province"]) if ans.get("province") else None
            found = prov.name if prov else None
        elif name == "regency":
            found = _regency(ans["regency"]) if ans.get("regency") else None
        else:  # "sms"
            safe = ans.get("sms_safe")
            if safe is not None:
                found = menu.text(lang, "summary", "sms_on" if safe else "sms_off")
        return str(found) if found else MISSING

    return value
