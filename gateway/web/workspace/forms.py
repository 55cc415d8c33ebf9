"""The workspace's form fields, checked: a field too long or holding bytes that cannot be
stored is refused with a message (400), never cleaned silently into something else."""

from __future__ import annotations

from flask import request

from casebridge import clean

MAX_TEXT = 2000
"""Longest free text a form takes (a message, a note, a reason)."""


class FormError(ValueError):
    """A form field is wrong; `key` is the page text that says why, `field` which one."""

    def __init__(self, field: str, key: str):
        super().__init__(f"{field}: {key}")
        self.field, self.key = field, key


def text(name: str, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    """The field `name`, stripped; None when empty (FormError when it is required)."""
    value = request.form.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
    if clean.text(value) != value:  # NUL, other control bytes, lone surrogates
        raise FormError(name, "ws_err_bytes")
    value = value.strip()
    if len(value) > limit:
        raise FormError(name, "ws_err_too_long")
    if not value:
        if required:
            raise FormError(name, "ws_err_required")
        return None
    return value


def choice(name: str, allowed: tuple[str, ...]) -> str:
    value = request.form.get(name, "")
    if value not in allowed:
        raise FormError(name, "ws_err_choice")
    return value


def number(name: str) -> int:
    raw = request.form.get(name, "")
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 9):  # fits an INTEGER column
        raise FormError(name, "ws_err_choice")
    return int(raw)


def ticked(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "yes", "true")
