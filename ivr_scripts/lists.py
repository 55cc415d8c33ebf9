"""Spoken lists (problems, countries): options from the taxonomy, read a page at a time."""

from __future__ import annotations

from casebridge import taxonomy

from .catalogue import Catalogue

SOURCES = ("categories", "countries")


def options(
    source: str, lang: str, catalogue: Catalogue, other: str | None = None
) -> list[tuple[str | None, str]]:
    """(code, spoken label) pairs in the taxonomy's order (most frequent first).
    A label in the prompts file (`labels:`) overrides the taxonomy's written one; `other`
    names a prompt for a last option, "not in this list", whose code is None."""
    if source == "categories":
        codes, label = list(taxonomy.CATEGORIES), taxonomy.category_label
    elif source == "countries":
        codes, label = list(taxonomy.DESTINATIONS), taxonomy.country_name
    else:
        raise KeyError(f"unknown list source {source!r}; known: {', '.join(SOURCES)}")
    items: list[tuple[str | None, str]] = [
        (code, catalogue.label(source, code, lang) or label(code, lang)) for code in codes
    ]
    if other:
        prompt = catalogue.get(other, lang)
        items.append((None, prompt.text if prompt and prompt.text else other))
    return items


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def page(items: list, number: int, page_size: int) -> list:
    """The options on page `number` (0-based); key 1 is the first of them."""
    return items[number * page_size : (number + 1) * page_size]
