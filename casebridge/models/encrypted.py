"""Column types for personal data: encrypted at rest under the database's data keys, and the
blind index that finds a phone number without storing it (`casebridge.datakeys`).

The keyring an engine uses is the one `Database` gives its dialect (`dialect.data_keys`): the
types read it there, so every engine encrypts under its own instance's keys. A blind index
column names the column it is computed from (`blind_index("phone")`); `fill_blind_indexes`,
which `Database` runs before each flush, keeps it in step. Lookups use `matches`, which knows
every key of a keyring in the middle of a rotation."""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from ..datakeys import DataKeyError, DataKeys

INDEX_OF = "blind_index_of"
"""The column's `info` key naming the attribute a blind index is computed from."""


def keys_of(dialect: Dialect) -> DataKeys:
    keys = getattr(dialect, "data_keys", None)
    if keys is None:
        raise DataKeyError("this database was opened without DATA_KEY: personal data is sealed")
    return keys


def session_keys(session: Session) -> DataKeys:
    return keys_of(session.get_bind().dialect)


class Encrypted(TypeDecorator):
    """Text stored as `<key id>:<AES-GCM token>`; read back as the text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keys_of(dialect).encrypt(self.dump(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.load(keys_of(dialect).decrypt(value))

    def dump(self, value: Any) -> str:
        return str(value)

    def load(self, text: str) -> Any:
        return text


class EncryptedJSON(Encrypted):
    """A JSON document stored encrypted."""

    cache_ok = True

    def dump(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def load(self, text: str) -> Any:
        return json.loads(text)


def blind_index(of: str, **kwargs: Any):
    """A column holding the blind index of attribute `of` (filled before each flush)."""
    return mapped_column(String(32), info={INDEX_OF: of}, **kwargs)


def matches(session: Session, column: Any, value: str) -> ColumnElement[bool]:
    """`column` (a blind index) is that of `value` under any key of the keyring."""
    found = session_keys(session).indexes(value)
    return column == found[0] if len(found) == 1 else column.in_(found)


@functools.cache
def index_columns(mapper) -> tuple[tuple[str, str], ...]:
    """(index attribute, source attribute) pairs of a mapped class (worked out once: every
    flush asks it of every new or changed object)."""
    return tuple(
        (attr.key, attr.columns[0].info[INDEX_OF])
        for attr in mapper.column_attrs
        if INDEX_OF in attr.columns[0].info
    )


def fill_blind_indexes(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: the blind index of every new or changed source value."""
    from sqlalchemy import inspect

    keys = None
    for obj in list(session.new) + list(session.dirty):
        state = inspect(obj)
        pairs = index_columns(state.mapper)
        if not pairs:
            continue
        for index_attr, source in pairs:
            if obj not in session.new and not state.attrs[source].history.has_changes():
                continue
            keys = keys or session_keys(session)
            value = getattr(obj, source)
            setattr(obj, index_attr, None if value is None else keys.index(value))
