"""Wire optional parts into the workers of this process: forwarding, SLA checks, the SMS
channel's sweeper."""

from __future__ import annotations

from workers import forwarding, jobs, sla

from ..optional import optional_import
from ..services import Services

AFTER_CASE = (forwarding.after_case,)
PERIODIC = (forwarding.sweep, sla.periodic)
PARTS = ("gateway.sms.hooks",)
"""Modules with their own `install(services)`, wired when present."""


def install(services: Services) -> None:
    """Register the job hooks once per process (calling it again adds nothing)."""
    for hook in AFTER_CASE:
        if hook not in jobs.after_case_hooks:
            jobs.after_case_hooks.append(hook)
    for hook in PERIODIC:
        if hook not in jobs.periodic_hooks:
            jobs.periodic_hooks.append(hook)
    for name in PARTS:
        part = optional_import(name)
        if part is not None:
            part.install(services)
