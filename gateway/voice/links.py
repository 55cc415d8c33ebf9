"""Absolute URLs written into call XML: providers call back on PUBLIC_BASE_URL, never on the
host a request happened to arrive at (which, behind a proxy, is an internal one)."""

from __future__ import annotations

from urllib.parse import urlencode

from casebridge.settings import Settings

AUDIO_PATH = "/voice/audio"
STEP_PARAM = "n"


def public(settings: Settings, path: str, **params: object) -> str:
    """PUBLIC_BASE_URL + path, with the non-empty parameters as its query string."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{settings.public_base_url.rstrip('/')}{path}" + (f"?{query}" if query else "")


def audio_base(settings: Settings) -> str:
    """Where `gateway.voice.audio` serves the prompt recordings."""
    return public(settings, AUDIO_PATH)


def step_number(args) -> int | None:
    """The step number a step URL carries (`?n=`), or None on the call's first URL."""
    raw = args.get(STEP_PARAM)
    return int(raw) if raw and raw.isdigit() and len(raw) < 6 else None
