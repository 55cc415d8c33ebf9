"""Organisation API keys: issued once, stored as a SHA-256, checked in constant time."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ApiKey, Organisation, User, utcnow

PREFIX = "pgd_"
LAST_USE_STEP = timedelta(minutes=1)
"""`last_used_at` is written at most this often per key, so the API does not write on every
request."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(
    session: Session, org: Organisation, name: str | None = None, created_by: User | None = None
) -> str:
    """A new key for the organisation; the plain key is returned once and never stored."""
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            organisation_id=org.id,
            prefix=key[:12],
            key_hash=_hash(key),
            name=(name or "").strip()[:100] or None,
            created_by_id=created_by.id if created_by is not None else None,
        )
    )
    session.flush()
    return key


def revoke(session: Session, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()


def _used(row: ApiKey) -> None:
    now = utcnow()
    last = row.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= LAST_USE_STEP:
        row.last_used_at = now


def authenticate(session: Session, key: str | None) -> Organisation | None:
    """The active organisation owning an unrevoked key, or None."""
    if not key or not key.startswith(PREFIX) or len(key) > 200:
        return None
    row = session.scalar(
        select(ApiKey).where(ApiKey.key_hash == _hash(key), ApiKey.revoked_at.is_(None))
    )
    if row is None or not row.organisation.active:
        return None
    _used(row)
    return row.organisation
