"""Exports in the network's one shape (docs/exports.md): CSV, JSON and XML of cases with their
timelines, streamed in constant memory, and the PDF referral packet of one case."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..caseview import iso
from ..models import utcnow
from . import csvfile, jsonfile, xmlfile

FORMATS = ("csv", "json", "xml")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml",
}


def stream(fmt: str, views: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The export file of `views` in format `fmt`, piece by piece."""
    generated_at = iso(utcnow())
    if fmt == "csv":
        return csvfile.chunks(views)
    if fmt == "json":
        return jsonfile.chunks(views, generated_at)
    if fmt == "xml":
        return xmlfile.chunks(views, generated_at)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
