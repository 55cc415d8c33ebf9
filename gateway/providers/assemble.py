"""Build a provider from its submodules (sms, ussd, voice…), each optional.

A submodule may define `blueprint` (a Flask Blueprint), `make_sender(settings)`,
`health(services)`, `cli` (a click group) and `collect_metrics(services)`; the package's
`PROVIDER` gathers them."""

from __future__ import annotations

from ..optional import optional_import
from .base import Provider


def assemble(name: str, package: str, parts: tuple[str, ...]) -> Provider:
    blueprints, sender, health, cli, metrics = [], None, None, None, None
    for part in parts:
        module = optional_import(f"{package}.{part}")
        if module is None:
            continue
        if getattr(module, "blueprint", None) is not None:
            blueprints.append(module.blueprint)
        sender = getattr(module, "make_sender", None) or sender
        health = getattr(module, "health", None) or health
        cli = getattr(module, "cli", None) or cli
        metrics = getattr(module, "collect_metrics", None) or metrics
    return Provider(
        name=name,
        blueprints=tuple(blueprints),
        make_sender=sender,
        health=health,
        cli=cli,
        metrics=metrics,
    )
