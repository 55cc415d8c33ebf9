"""`pengaduan stats`: counts by status, category, country, province, gender, channel."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from casebridge import stats as case_stats
from casebridge.models import Case

from .common import load_settings, open_database, table


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def command(as_json: bool) -> None:
    """Counts of all cases, by dimension, with times to accept and resolve."""
    db = open_database(load_settings())
    with db.session() as session:
        result = case_stats.compute(session, select(Case))
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"cases: {result['total']}   overdue: {result['overdue']}")
    for dimension in case_stats.DIMENSIONS:
        counts = result[f"by_{dimension}"]
        if counts:
            click.echo("")
            click.echo(table(list(counts.items()), (dimension, "cases")))
    for key in ("time_to_accept", "time_to_resolve"):
        t = result[key]
        label = key.replace("_", " ")
        if not t["count"]:
            click.echo(f"\n{label}: no cases yet")
            continue
        click.echo(
            f"\n{label}: {t['count']} cases, mean {t['mean_hours']} h, median {t['median_hours']} h"
        )
    per_org = result.get("by_organisation_times") or {}
    if per_org:
        rows = [
            (
                code,
                times["time_to_accept"]["count"],
                times["time_to_accept"]["median_hours"],
                times["time_to_resolve"]["count"],
                times["time_to_resolve"]["median_hours"],
            )
            for code, times in per_org.items()
        ]
        headers = ("organisation", "accepted", "median h", "resolved", "median h")
        click.echo("\n" + table(rows, headers))
