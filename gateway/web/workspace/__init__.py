"""The caseworker workspace: `/cases` (the organisation's inbox) and `/cases/<reference>` (one
case with its actions), for people signed in with an account (`gateway.web.signin`)."""

from __future__ import annotations

from . import act, case, inbox
from .base import bp as blueprint

__all__ = ["act", "blueprint", "case", "inbox"]
