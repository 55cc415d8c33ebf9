"""Organisation API keys: issued once, stored as a SHA-256, checked in constant time."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ApiKey, Organisation

PREFIX = "pgd_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session: Session, org: Organisation) -> str:
    """A new key for the organisation; the plain key is returned once and never stored."""
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(organisation_id=org.id, prefix=key[:12], key_hash=_hash(key)))
    session.flush()
    return key


def authenticate(session: Session, key: str | None) -> Organisation | None:
    """The active organisation owning an unrevoked key, or None."""
    if not key or not key.startswith(PREFIX) or len(key) > 200:
        return None
    row = session.scalar(
        select(ApiKey).where(ApiKey.key_hash == _hash(key), ApiKey.revoked_at.is_(None))
    )
    if row is None or not row.organisation.active:
        return None
    return row.organisation
