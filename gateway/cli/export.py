"""`pengaduan export --format csv|json|xml [--org CODE] [--since DATE] -o FILE`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time, timedelta

import click
from sqlalchemy import select

from casebridge import exports
from casebridge.access import Filters
from casebridge.exports import source
from casebridge.models import Organisation

from .common import load_settings, open_database


def _day(value: datetime | None, end: bool = False) -> datetime | None:
    if value is None:
        return None
    day = value.date() + timedelta(days=1 if end else 0)
    return datetime.combine(day, time(), UTC)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True)
@click.option("--org", "org_code", help="Only the cases this organisation sees (default: all).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Reported on or after DATE.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Reported on or before DATE.")
@click.option("--full-phones", is_flag=True, help="Phone numbers in full instead of masked.")
@click.option("-o", "--output", type=click.File("wb"), required=True, help="File to write.")
def command(fmt, org_code, since, until, full_phones, output) -> None:
    """Export cases with their timelines in the network's shape (docs/exports.md)."""
    db = open_database(load_settings())
    if org_code:
        with db.session() as session:
            if session.scalar(select(Organisation.id).where(Organisation.code == org_code)) is None:
                raise click.ClickException(f"no organisation with code {org_code!r}")
    request = source.Request(
        organisation=org_code,
        filters=Filters(since=_day(since), until=_day(until, end=True)),
        full_phones=full_phones,
        via="cli",
        what=f"pengaduan export --format {fmt}" + (f" --org {org_code}" if org_code else ""),
    )
    total = source.count(db, request)
    with click.progressbar(length=total, label=f"exporting {total} cases", file=sys.stderr) as bar:

        def counted():
            for view in source.cases(db, request):
                yield view
                bar.update(1)

        for chunk in exports.stream(fmt, counted()):
            output.write(chunk)
    click.echo(f"wrote {total} cases to {output.name}", err=True)
