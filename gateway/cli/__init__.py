"""The `pengaduan` command: where the parts are wired together."""

from __future__ import annotations

import importlib
import logging

import click

from ..providers import all_providers

COMMAND_MODULES = ("serve", "worker", "db", "orgs", "cases", "stats", "menus", "simulate", "export")


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    """Pengaduan Gateway: a complaint line for Indonesian migrant workers on any phone."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a command whose module is not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    main.add_command(_module.command)

for _provider in all_providers():
    if _provider.cli is not None:
        main.add_command(_provider.cli)
