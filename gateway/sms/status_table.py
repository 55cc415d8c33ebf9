"""Provider status words mapped to ours, as data; an unknown word is an explicit error, or, for
a delivery report, `unknown`: acknowledged, kept raw on the message, warned about once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from .scrub import scrub

T = TypeVar("T")
log = logging.getLogger(__name__)

UNKNOWN = "unknown"
"""Our status for a delivery report whose word no table knows: the message keeps its state."""
MAX_WARNED = 256
"""Distinct unknown words warned about per process; beyond that they pass silently."""
_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


class UnknownStatus(ValueError):
    """A provider sent a status word the table does not know; the message lists the known."""


@dataclass(frozen=True)
class StatusTable(Generic[T]):
    """`table["Success"]` -> our value; KeyError-free: unknown words raise UnknownStatus."""

    name: str
    rows: Mapping[object, T]

    def __getitem__(self, word: object) -> T:
        try:
            return self.rows[word]
        except (KeyError, TypeError):
            known = ", ".join(str(k) for k in self.rows)
            raise UnknownStatus(f"unknown {self.name} {_shown(word)}; known: {known}") from None

    def __contains__(self, word: object) -> bool:
        return word in self.rows

    def get(self, word: object, default: T) -> T:
        """`table[word]`, else `default`, with a warning the first time this process meets that
        word (providers add states without notice; a report is never refused for one)."""
        try:
            return self[word]
        except UnknownStatus as exc:
            key = (self.name, _shown(word))
            with _warned_lock:
                first = key not in _warned and len(_warned) < MAX_WARNED
                if first:
                    _warned.add(key)
            if first:
                log.warning("%s; taken as %r", exc, default)
            return default


def _shown(word: object) -> str:
    """The word as logs and errors show it: quoted, short, without phone numbers."""
    return scrub(repr(word), 60)
