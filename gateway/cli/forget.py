"""`pengaduan forget REF --by EMAIL [--yes]`: remove a case's personal data now, on its
reporter's request (`casebridge.retention`), under the name of the person who ordered it."""

from __future__ import annotations

import click
from sqlalchemy import select

from casebridge import accounts, audit, refs, retention
from casebridge.models import Case

from .common import load_settings, open_database


def _digits(reference: str) -> str:
    digits = refs.normalise(reference)
    if digits is None:
        raise click.ClickException(f"{reference!r} is not a case reference: 8 digits, NNNN-NNNN")
    if not refs.is_valid(digits):
        raise click.ClickException(
            f"{refs.format_ref(digits)}: the check digit is wrong; one digit is probably mistyped"
        )
    return digits


def describe(done: retention.Removed) -> str:
    """What a removal took away, in words (counts only)."""
    parts = [
        "description, recording, the worker's name and phone, the intake's report",
        f"{done.parties} part{'y' if done.parties == 1 else 'ies'}",
        f"{done.referrals} referral reason(s)",
        f"{done.events} timeline note(s)",
        f"{done.messages} message(s)",
        f"{done.attachments} attachment(s) ({done.files} file(s) deleted)",
        f"{done.sessions} session phone(s)",
    ]
    reporter = (
        "the reporter's name and phone are gone"
        if done.reporter
        else "the reporter keeps name and phone: another case of theirs still holds them"
    )
    return "; ".join(parts) + f"; {reporter}"


@click.command("forget")
@click.argument("reference")
@click.option(
    "--by",
    "email",
    required=True,
    help="The email of the person ordering it (a coordinator, or an admin of the case's "
    "organisation): the case's audit trail names them.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def command(reference: str, email: str, yes: bool) -> None:
    """Remove the personal data of case REFERENCE now, at its reporter's request. The case
    stays for the statistics; its timeline records who ordered it and when."""
    digits = _digits(reference)
    ref = refs.format_ref(digits)
    settings = load_settings(secret=False)
    db = open_database(settings)
    with db.session() as session:
        user = accounts.find_user(session, email)
        if user is None or not user.active:
            raise click.ClickException(
                f"no active account for {email!r} (see `pengaduan users list`)"
            )
        case = session.scalar(select(Case).where(Case.reference == digits))
        if case is None:
            raise click.ClickException(f"no case {ref}")
        if not retention.may_forget(user, case):
            raise click.ClickException(
                f"{user.email} ({user.role}) may not order case {ref} forgotten: a coordinator"
                " or an admin of the organisation holding the case may"
            )
        if case.personal_data_removed_at is not None:
            click.echo(
                f"case {ref}: personal data already removed on "
                f"{case.personal_data_removed_at:%Y-%m-%d %H:%M} UTC; nothing changed"
            )
            return
        if not yes:
            click.confirm(
                f"Remove the personal data of case {ref} for good, ordered by {user.name}"
                f" <{user.email}>? This cannot be undone",
                abort=True,
            )
        done = retention.remove_personal_data(
            session, case, audit.person(user), retention.REQUEST, settings
        )
        if done is None:  # another removal (a forget, the daily run) came first
            click.echo(f"case {ref}: its personal data was removed meanwhile; nothing more to do")
            return
        when = case.personal_data_removed_at
        status = case.status
    click.echo(f"case {ref}: personal data removed at {when:%Y-%m-%d %H:%M} UTC by {user.name}")
    click.echo(f"removed: {describe(done)}")
    click.echo(f"the case stays {status}, in the statistics, with its timeline")
