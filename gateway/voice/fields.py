"""Values providers send about a call, checked before they reach the engine or the case."""

from __future__ import annotations

from urllib.parse import urlsplit

from casebridge import clean, phones

MAX_URL = 500  # the case's recording_url column
MAX_SECONDS = 24 * 3600


def caller(raw: str | None) -> str:
    """The number in E.164, or "" when it was withheld or is not a phone number."""
    return phones.normalise(raw) or "" if raw else ""


def recording_url(raw: str | None) -> str | None:
    """An http(s) URL that fits the case, else None (nothing was recorded)."""
    url = (raw or "").strip()
    if not url or len(url) > MAX_URL or not url.isprintable() or " " in url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("https", "http") and parts.netloc else None


def seconds(raw: str | None) -> int | None:
    """A whole number of seconds (AT sends "12", sometimes "12.0"), else None."""
    try:
        value = int(float(raw)) if raw not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        return None
    return value if value is not None and 0 <= value <= MAX_SECONDS else None


def digits(raw: str | None) -> str | None:
    """Keys pressed; Twilio's `hangup` (the caller hung up during a recording) is none."""
    value = clean.text(raw or "").strip()
    return None if not value or value == "hangup" else value[:40]
