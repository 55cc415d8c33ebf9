"""`pengaduan orgs load|list|key`: the organisation directory."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from casebridge import apikeys, directory
from casebridge.models import Case, Organisation
from casebridge.status import OPEN_STATUSES

from .common import load_settings, open_database, table


@click.group("orgs")
def command() -> None:
    """The organisation directory."""


@command.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
def load(file: str) -> None:
    """Load (create or update) organisations from a YAML FILE; all or nothing."""
    try:
        entries = directory.parse_file(file)
    except directory.DirectoryError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(
            f"{file}: nothing was loaded ({len(exc.problems)} problems)"
        ) from exc
    db = open_database(load_settings())
    with db.session() as session:
        result = directory.apply(session, entries)
    click.echo(
        f"loaded {len(entries)} organisations: {len(result.created)} new, "
        f"{len(result.updated)} updated, {len(result.deactivated)} deactivated"
        + (f" ({', '.join(result.deactivated)})" if result.deactivated else "")
    )


@command.command("list")
def list_orgs() -> None:
    """List organisations with their open cases."""
    db = open_database(load_settings())
    with db.session() as session:
        open_counts = dict(
            session.execute(
                select(Case.organisation_id, func.count())
                .where(Case.status.in_(OPEN_STATUSES))
                .group_by(Case.organisation_id)
            ).all()
        )
        rows = [
            (
                o.code,
                o.name,
                o.kind,
                "yes" if o.active else "no",
                "yes" if o.selectable else "no",
                sum(1 for c in o.caseworkers if c.active),
                open_counts.get(o.id, 0),
            )
            for o in session.scalars(select(Organisation).order_by(Organisation.code))
        ]
    if not rows:
        click.echo("no organisations yet: load a directory with `pengaduan orgs load FILE.yaml`")
        return
    click.echo(
        table(rows, ("code", "name", "kind", "active", "selectable", "caseworkers", "open cases"))
    )


@command.command("key")
@click.argument("code")
def key(code: str) -> None:
    """Issue a new API key for organisation CODE (printed once, stored only as a hash)."""
    db = open_database(load_settings())
    with db.session() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == code))
        if org is None:
            raise click.ClickException(f"no organisation with code {code!r}")
        new_key = apikeys.issue(session, org)
    click.echo(new_key)
    click.echo(f"(API key for {code}; it is shown only this once)", err=True)
