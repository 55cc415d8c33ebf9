"""`pengaduan cases show REF`."""

from __future__ import annotations

import click
from sqlalchemy import select

from casebridge import outbox, phones, refs, taxonomy
from casebridge.models import Case

from .common import load_settings, open_database


@click.group("cases")
def command() -> None:
    """Look at cases."""


@command.command("show")
@click.argument("reference")
@click.option("--unmask", is_flag=True, help="Show phone numbers in full.")
def show(reference: str, unmask: bool) -> None:
    """A case and its timeline."""
    digits = refs.normalise(reference)
    if digits is None:
        raise click.ClickException(f"{reference!r} is not a case reference: 8 digits, NNNN-NNNN")
    if not refs.is_valid(digits):
        raise click.ClickException(
            f"{refs.format_ref(digits)}: the check digit is wrong; one digit is probably mistyped"
        )
    db = open_database(load_settings())
    with db.session() as session:
        case = session.scalar(select(Case).where(Case.reference == digits))
        if case is None:
            raise click.ClickException(f"no case {refs.format_ref(digits)}")

        def phone(p: str | None) -> str:
            return "-" if not p else (p if unmask else phones.mask(p))

        w = case.worker
        lines = [
            f"case        {refs.format_ref(case.reference)}",
            f"status      {case.status}{' (overdue)' if case.overdue else ''}",
            f"category    {case.category} ({taxonomy.category_label(case.category, 'en')})",
            f"channel     {case.channel}",
            f"organisation {case.organisation.code if case.organisation else '-'}",
            f"reporter    {phone(case.reporter.phone)} ({case.relationship_}),"
            f" SMS safe: {'yes' if outbox.sms_safe(case) else 'no'}",
            f"worker      {w.name or '-'}, {w.gender}, in {w.country or '-'},"
            f" from {w.regency or '-'} {w.province or ''}, phone {phone(w.phone)}",
            f"created     {case.created_at:%Y-%m-%d %H:%M} UTC",
        ]
        if case.description:
            lines.append(f"description {case.description}")
        if case.recording_url:
            lines.append(f"recording   {case.recording_url} ({case.recording_duration or 0} s)")
        lines.append("timeline:")
        for e in case.events:
            change = f" {e.from_status} -> {e.to_status}" if e.to_status else ""
            lines.append(
                f"  {e.at:%Y-%m-%d %H:%M:%S}  {e.kind}{change}  by {e.actor}  {e.note or ''}"
            )
    click.echo("\n".join(lines))
