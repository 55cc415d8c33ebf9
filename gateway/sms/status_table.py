"""Provider status words mapped to ours, as data; an unknown word is an explicit error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


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
            raise UnknownStatus(f"unknown {self.name} {word!r}; known: {known}") from None

    def __contains__(self, word: object) -> bool:
        return word in self.rows
