"""`pengaduan intakes list|retry`: reports that failed for good (no case yet) and their retry."""

from __future__ import annotations

import click
from rq.registry import FailedJobRegistry

from casebridge import intake, refs
from workers import queues

from ..services import connect_redis
from .common import load_settings, open_database, table


@click.group("intakes")
def command() -> None:
    """Reports that failed for good before becoming a case."""


@command.command("list")
def list_failed() -> None:
    """The intakes that failed for good, with their last error."""
    db = open_database(load_settings(secret=False))
    with db.session() as session:
        rows = [
            (
                i.id,
                refs.format_ref(i.reference),
                i.channel,
                f"{i.created_at:%Y-%m-%d %H:%M}",
                i.attempts,
                (i.error or "")[:100],
            )
            for i in intake.failed(session)
        ]
    if not rows:
        click.echo("no intake has failed")
        return
    click.echo(table(rows, ("id", "reference", "channel", "received (UTC)", "tries", "error")))


@command.command("retry")
@click.argument("intake_ids", nargs=-1, type=int)
def retry(intake_ids: tuple[int, ...]) -> None:
    """Queue failed intakes again (all of them, or those named), once their cause is fixed."""
    settings = load_settings(secret=False)
    if settings.redis_url is None:
        raise click.ClickException(
            "REDIS_URL is not set: the intakes would be queued where no worker reads them"
        )
    db = open_database(settings)
    with db.session() as session:
        again = intake.retry(session, list(intake_ids))
    redis = connect_redis(settings.redis_url)
    registry = FailedJobRegistry(queues.INTAKE, connection=redis)
    queued = 0
    for intake_id in again:
        registry.remove(queues.PROCESS_INTAKE.job_id.format(intake_id))  # the old failure
        queued += queues.enqueue(redis, queues.PROCESS_INTAKE, intake_id)
    missing = sorted(set(intake_ids) - set(again))
    if missing:
        click.echo(f"not failed (or unknown): {', '.join(map(str, missing))}")
    click.echo(f"{len(again)} intake(s) pending again, {queued} queued")
    if queued < len(again):
        click.echo("Redis refused some; the sweeper queues them within minutes")
