"""END screens for problems outside the menus: a broken request, the service busy.

Their words are in the texts files under `notice:`, checked by `pengaduan menus check` like
every screen.
"""

from __future__ import annotations

from .layout import clip, fill
from .menu import load
from .screens import LIMIT, Screen

SECTION = "notice"
NOTICES = ("no_session", "no_phone", "bad_request", "busy")
"""`no_session`: the session id is missing or broken; `no_phone`: the caller's number is
missing or not a number; `bad_request`: another field is; `busy`: the service cannot answer
now (Redis or the database is away)."""


def notice(key: str, lang: str) -> Screen:
    """The END screen telling the person what went wrong, in `lang` (Indonesian if missing)."""
    template = load().text(lang, SECTION, key)
    text, _needed = fill(template, lambda name: None)
    return Screen(clip(text, LIMIT), end=True)
