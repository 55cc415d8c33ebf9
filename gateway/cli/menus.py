"""`pengaduan menus check`: every USSD menu and voice script in every language."""

from __future__ import annotations

import click

from ivr_scripts import check as voice_check
from ussd_menus import check as ussd_check

CHECKS = (("USSD menus", ussd_check.check), ("voice scripts", voice_check.check))


@click.group("menus")
def command() -> None:
    """USSD menus and voice scripts."""


@command.command("check")
def check() -> None:
    """Report screens over 182 characters, non-GSM-7 text, unreachable or missing screens,
    dead ends, missing prompts and audio files; exit 1 on any problem."""
    problems = 0
    for label, run_check in CHECKS:
        found = run_check()
        problems += len(found)
        for problem in found:
            click.echo(f"{label}: {problem}", err=True)
        click.echo(f"{label}: {'OK' if not found else f'{len(found)} problems'}")
    if problems:
        raise SystemExit(1)
