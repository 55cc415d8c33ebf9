"""`pengaduan retention run [--dry-run]`: the daily retention run, now (`casebridge.retention`)."""

from __future__ import annotations

import click

from casebridge import retention

from .common import load_settings, open_database


@click.group("retention")
def command() -> None:
    """Personal data past its time (RETENTION_DAYS after closure; 90 days without a case)."""


@command.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def run(dry_run: bool) -> None:
    """Remove it now (the worker does it once a day)."""
    settings = load_settings(secret=False)
    counts = retention.run_retention(open_database(settings), settings, dry_run=dry_run)
    what = "would remove" if dry_run else "removed"
    click.echo(
        f"{what} the personal data of {counts['cases']} case(s) closed more than "
        f"{settings.retention_days} days ago"
    )
    click.echo(
        f"{what} {counts['messages']} message(s) and {counts['reporters']} reporter(s) of numbers"
        f" that never became a case; {counts['sessions']} session(s) lose their phone"
        f" (older than {retention.UNLINKED_DAYS} days)"
    )
    if counts.get("failed"):
        click.echo(f"{counts['failed']} case(s) failed (see the log); the next run tries again")
