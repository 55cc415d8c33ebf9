"""The coordinator dashboard's list of gateway phones (`_phones.html`): each phone's
organisation, last call, battery and signal as reported, sent today against its limit,
waiting messages, up or down. Only a coordinator sees it; no secret is ever shown."""

from __future__ import annotations

from typing import Any

from flask import current_app

from casebridge.models import Organisation

from ..providers.android import overview


def phones_panel(org: Organisation | None) -> list[dict[str, Any]] | None:
    """The phones for a coordinator; None for anyone else (the panel is not shown)."""
    if org is None or not org.is_coordinator:
        return None
    try:
        return overview(current_app.extensions["services"])
    except Exception:  # Redis away: the dashboard still opens, without the panel
        return None
