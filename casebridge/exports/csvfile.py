"""Cases as CSV: one row per case, nested lists (parties, referrals, attachments, timeline) as
JSON text.

A cell that begins with `=`, `+`, `-`, `@` (or a tab or carriage return) gets a leading `'`
so that a spreadsheet shows it as text instead of running it as a formula."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .source import CASE_FIELDS

COLUMNS = (
    "reference",
    *CASE_FIELDS,
    "reporter_phone",
    "reporter_name",
    "reporter_relationship",
    "reporter_language",
    "reporter_sms_safe",
    "reporter_opted_out",
    "worker_name",
    "worker_gender",
    "worker_phone",
    "worker_country",
    "worker_province",
    "worker_regency",
    "parties",
    "referrals",
    "attachments",
    "timeline",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


def neutralise(text: str) -> str:
    """Text a spreadsheet will not read as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return neutralise(str(value))


def row(view: dict[str, Any]) -> list[str]:
    """The cells of one case, in COLUMNS order."""
    flat = dict(view)
    for person in ("reporter", "worker"):
        for key, value in view[person].items():
            flat[f"{person}_{key}"] = value
    return [cell(flat.get(column)) for column in COLUMNS]


def chunks(views: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The CSV file in pieces of about 64 KiB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for view in views:
        writer.writerow(row(view))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
