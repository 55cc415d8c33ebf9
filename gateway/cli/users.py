"""`pengaduan users invite|list|disable|reset`: people's accounts from the console."""

from __future__ import annotations

from collections.abc import Callable

import click
from sqlalchemy import select

from casebridge import accounts
from casebridge.models import Organisation, Role

from ..services import connect_redis
from ..web import websessions
from .common import load_settings, open_database, shared_redis_url, table


class _Refused(click.ClickException):
    """Bad input: said plainly, exit status 2, no traceback."""

    exit_code = 2


def _org(session, code: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise _Refused(f"no organisation with code {code!r} (see `pengaduan orgs list`)")
    return org


def _user(session, email: str):
    user = accounts.find_user(session, email)
    if user is None:
        raise _Refused(f"no account for {email!r} (see `pengaduan users list`)")
    return user


def _end_sessions(settings) -> Callable[[int], int]:
    url = shared_redis_url(settings)
    if url is None:
        raise _Refused(
            "the sessions to end live in the service's Redis: set REDIS_URL, or run this "
            "while `pengaduan serve` runs on this instance"
        )
    redis = connect_redis(url)
    return lambda user_id: websessions.end_all(redis, user_id)


@click.group("users")
def command() -> None:
    """People's accounts: invitations, the list, disabling, resets."""


@command.command("invite")
@click.argument("email")
@click.option("--org", "code", required=True, help="The organisation's code.")
@click.option("--role", required=True, type=click.Choice([str(r) for r in Role]))
@click.option("--name", default=None, help="The person's name (shown on case timelines).")
@click.option("--phone", default=None, help="E.164 (+62…), for SMS sign-in codes.")
def invite(email: str, code: str, role: str, name: str | None, phone: str | None) -> None:
    """Invite EMAIL; prints the one-time link (valid 72 hours)."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.session() as session:
            link = accounts.invite(
                session,
                email=email,
                org=_org(session, code),
                role=role,
                base_url=settings.public_base_url,
                name=name,
                phone=phone,
            )
            url = link.url
    except accounts.AccountError as exc:
        raise _Refused(str(exc)) from exc
    click.echo(url)
    click.echo("(one-time link, valid 72 hours; it is shown only this once)", err=True)


@command.command("list")
@click.option("--org", "code", default=None, help="Only this organisation's people.")
def list_users(code: str | None) -> None:
    """List accounts: email, name, organisation, role, state, last sign-in."""
    db = open_database(load_settings())
    with db.session() as session:
        org = _org(session, code) if code else None
        rows = [
            (
                u.email,
                u.name,
                u.organisation.code,
                u.role,
                accounts.state(u),
                u.signed_in_at.strftime("%Y-%m-%d %H:%M") if u.signed_in_at else None,
            )
            for u in accounts.people(session, org)
        ]
    if not rows:
        click.echo("no accounts yet: invite someone with `pengaduan users invite EMAIL ...`")
        return
    click.echo(table(rows, ("email", "name", "org", "role", "state", "last sign-in")))


@command.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable EMAIL's account and end all their sessions now."""
    settings = load_settings()
    end = _end_sessions(settings)
    db = open_database(settings)
    with db.session() as session:
        user = _user(session, email)
        accounts.disable(session, user, end)
        email = user.email
    click.echo(f"{email} is disabled; every session of theirs has ended")


@command.command("reset")
@click.argument("email")
def reset(email: str) -> None:
    """Clear EMAIL's password and second factor, end their sessions; prints a new link."""
    settings = load_settings()
    end = _end_sessions(settings)
    db = open_database(settings)
    with db.session() as session:
        link = accounts.reset(session, _user(session, email), settings.public_base_url, end)
        url = link.url
    click.echo(url)
    click.echo("(new one-time link, valid 72 hours; older links no longer work)", err=True)
