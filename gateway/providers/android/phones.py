"""The phones this service sends through: the `default` phone of the ANDROID_* settings and the
enabled rows of `gateway_phones`, each with its secrets decrypted (casebridge.secretbox)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from casebridge import secretbox
from casebridge.models import GatewayPhone
from casebridge.phone_choice import parse_quiet
from casebridge.settings import Settings

from .protocol import DEFAULT

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Phone:
    """One phone as the provider uses it (the password and key in clear: never print it)."""

    name: str
    url: str
    login: str
    password: str
    webhook_key: str | None
    organisation_id: int | None = None
    daily_limit: int | None = None
    quiet: str | None = None
    timezone: str = "Asia/Jakarta"
    device_id: str | None = None

    def __repr__(self) -> str:
        return f"Phone(name={self.name!r}, url={self.url!r})"

    @property
    def quiet_hours(self):
        try:
            return parse_quiet(self.quiet)
        except ValueError:
            return None


def missing_settings(settings: Settings) -> list[str]:
    names = ("android_gateway_url", "android_gateway_login", "android_gateway_password")
    return [name.upper() for name in names if not getattr(settings, name)]


def default_phone(settings: Settings) -> Phone | None:
    """The phone of the ANDROID_* settings, or None when they are not all set."""
    if missing_settings(settings):
        return None
    return Phone(
        DEFAULT,
        settings.android_gateway_url or "",
        settings.android_gateway_login or "",
        settings.android_gateway_password or "",
        settings.android_webhook_key,
    )


def from_row(row: GatewayPhone, secret_key: str) -> Phone:
    """The row with its secrets decrypted; secretbox.SecretBoxError when they cannot be."""
    return Phone(
        row.name,
        row.url,
        row.login,
        secretbox.decrypt(secret_key, row.password_secret),
        secretbox.decrypt(secret_key, row.webhook_key_secret),
        row.organisation_id,
        row.daily_limit,
        row.quiet,
        row.timezone,
        row.device_id,
    )


def registered(session: Session, secret_key: str) -> list[Phone]:
    """The enabled phones of `gateway_phones`, by name; one whose secrets do not decrypt is
    left out (logged; `pengaduan doctor` names it)."""
    phones = []
    rows = session.scalars(
        select(GatewayPhone).where(GatewayPhone.enabled.is_(True)).order_by(GatewayPhone.name)
    )
    for row in rows:
        try:
            phones.append(from_row(row, secret_key))
        except secretbox.SecretBoxError:
            log.error("gateway phone %s left out: its secrets do not decrypt", row.name)
    return phones


def find(session: Session, settings: Settings, name: str) -> Phone | None:
    """The enabled phone called `name` (the default phone included), or None."""
    if name == DEFAULT:
        return default_phone(settings)
    row = session.scalar(
        select(GatewayPhone).where(GatewayPhone.name == name, GatewayPhone.enabled.is_(True))
    )
    if row is None:
        return None
    try:
        return from_row(row, settings.secret_key)
    except secretbox.SecretBoxError:
        log.error("gateway phone %s: its secrets do not decrypt", name)
        return None


def every(session: Session, settings: Settings) -> list[Phone]:
    """The default phone (when configured) and every enabled registered phone."""
    first = default_phone(settings)
    return ([first] if first else []) + registered(session, settings.secret_key)
