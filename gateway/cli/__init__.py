"""The `pengaduan` command: where the parts are wired together."""

from __future__ import annotations

import logging

import click

from casebridge.datakeys import DataKeyError

from .. import redact
from ..providers.registry import all_providers
from . import (
    cases,
    db,
    doctor,
    export,
    forget,
    intakes,
    keys,
    menus,
    orgs,
    phones,
    retention,
    serve,
    simulate,
    stats,
    users,
    worker,
)

COMMANDS = (
    serve,
    worker,
    db,
    doctor,
    orgs,
    users,
    phones,
    cases,
    intakes,
    stats,
    menus,
    simulate,
    export,
    keys,
    forget,
    retention,
)


class _Main(click.Group):
    """The command group: personal data that does not decrypt is explained, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataKeyError as exc:
            raise click.ClickException(
                f"{exc}. Is DATA_KEY the key this data was stored under? "
                "(`pengaduan keys status` shows which keys the data needs)"
            ) from exc


@click.group(cls=_Main)
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    """Pengaduan Gateway: a complaint line for Indonesian migrant workers on any phone."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    redact.install()
    if not verbose:  # migrations say what they do only when asked
        logging.getLogger("alembic").setLevel(logging.WARNING)


for _module in COMMANDS:
    main.add_command(_module.command)

for _provider in all_providers():
    if _provider.cli is not None:
        main.add_command(_provider.cli)
