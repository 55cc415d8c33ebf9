"""`pengaduan phones add|connect|list|disable`: the Android gateway phones of a network
(design.md "Gateway phones"). Secrets are stored encrypted and never printed after `add`."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from sqlalchemy import select

from casebridge import secretbox
from casebridge.models import GatewayPhone, Organisation
from casebridge.phone_choice import parse_quiet

from ..providers.android import DEFAULT, PATH, overview
from ..providers.android.connect import register_or_explain
from ..providers.android.phones import from_row
from ..providers.android.protocol import PHONE_NAME
from ..services import Services
from .common import load_settings, open_database, shared_redis_url, table


@click.group("phones")
def command() -> None:
    """Android gateway phones: one per village post or office SIM."""


def _database():
    settings = load_settings()
    return settings, open_database(settings)


def _services() -> Services:
    settings = load_settings()
    url = shared_redis_url(settings)
    if url is None:
        raise click.ClickException(
            "the phones' state (last ping, sent today) is in the service's Redis: set "
            "REDIS_URL, or run this while `pengaduan serve` runs on this instance"
        )
    open_database(settings).dispose()  # SQLite: brought up to date
    return Services.build(dataclasses.replace(settings, redis_url=url))


@command.command("add")
@click.argument("name")
@click.option("--url", required=True, help="The app's API address (Local or Cloud server).")
@click.option("--login", required=True)
@click.option("--password", required=True)
@click.option("--webhook-key", required=True, help="Settings > Webhooks > Signing Key.")
@click.option("--org", "org_code", help="The organisation whose messages leave from it.")
@click.option("--daily-limit", type=click.IntRange(min=1), help="SMS per local day.")
@click.option("--quiet", help="Quiet hours, local time, e.g. 21:00-06:00.")
@click.option("--timezone", default="Asia/Jakarta", show_default=True)
def add(name, url, login, password, webhook_key, org_code, daily_limit, quiet, timezone) -> None:
    """Register a phone (its password and key are kept encrypted)."""
    if name == DEFAULT or not PHONE_NAME.fullmatch(name):
        raise click.BadParameter(
            "lower-case letters, digits and '-', at most 24, not 'default'", param_hint="NAME"
        )
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="--url")
    try:
        parse_quiet(quiet)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--quiet") from None
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(
            f"unknown time zone {timezone!r}", param_hint="--timezone"
        ) from None
    settings, db = _database()
    key = settings.secret_key
    with db.session() as session:
        if session.scalar(select(GatewayPhone.id).where(GatewayPhone.name == name)):
            raise click.ClickException(f"a phone named {name!r} exists already")
        org_id = None
        if org_code:
            org_id = session.scalar(select(Organisation.id).where(Organisation.code == org_code))
            if org_id is None:
                raise click.ClickException(f"no organisation {org_code!r}")
        session.add(
            GatewayPhone(
                name=name,
                url=url.rstrip("/"),
                login=login,
                password_secret=secretbox.encrypt(key, password),
                webhook_key_secret=secretbox.encrypt(key, webhook_key),
                organisation_id=org_id,
                daily_limit=daily_limit,
                quiet=quiet,
                timezone=timezone,
            )
        )
    click.echo(f"phone {name} added; next: pengaduan phones connect {name}")


@command.command("connect")
@click.argument("name")
def connect(name: str) -> None:
    """Register the phone's webhooks at PUBLIC_BASE_URL/sms/android/NAME (rerun: replaces)."""
    settings, db = _database()
    with db.session() as session:
        row = session.scalar(select(GatewayPhone).where(GatewayPhone.name == name))
        if row is None or not row.enabled:
            raise click.ClickException(f"no enabled phone {name!r} (see pengaduan phones list)")
        try:
            phone = from_row(row, settings.secret_key)
        except secretbox.SecretBoxError as exc:
            raise click.ClickException(f"phone {name}: {exc}") from None
    url = f"{settings.public_base_url.rstrip('/')}{PATH}/{name}"
    rows = register_or_explain(phone, url, phone.url)
    click.echo(table(rows, ("event", "id", "url", "action")))


def _ago(at: datetime | None) -> str:
    if at is None:
        return "never"
    return f"{int((datetime.now(UTC) - at).total_seconds() // 60)} min ago"


@command.command("list")
def list_phones() -> None:
    """Each phone: organisation, last ping, battery, signal, sent today, waiting, up/down."""
    rows = [
        (
            p["name"],
            p["organisation"],
            _ago(p["last_seen"]),
            p["battery"],
            p["signal"],
            f"{p['sent_today']}/{p['daily_limit'] or '-'}",
            p["waiting"],
            "disabled" if not p["enabled"] else ("up" if p["up"] else "DOWN"),
        )
        for p in overview(_services())
    ]
    if not rows:
        click.echo("no phones yet: pengaduan phones add NAME --url … (see the README)")
        return
    click.echo(
        table(rows, ("phone", "org", "last seen", "battery", "signal", "sent", "waiting", "state"))
    )


@command.command("disable")
@click.argument("name")
def disable(name: str) -> None:
    """Stop sending through a phone and refuse its webhooks; its waiting messages move."""
    _, db = _database()
    with db.session() as session:
        row = session.scalar(select(GatewayPhone).where(GatewayPhone.name == name))
        if row is None:
            raise click.ClickException(f"no phone {name!r}")
        row.enabled = False
    click.echo(f"phone {name} disabled")
