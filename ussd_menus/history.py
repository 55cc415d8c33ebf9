"""Africa's Talking sends every input of the session in `text`, joined with `*`.

Splitting on `*` breaks inputs that contain one ("Siti*Rahayu"), so the newest input is
what this hop's text adds to the previous hop's text.
"""

from __future__ import annotations

SEPARATOR = "*"


def new_input(previous_text: str | None, text: str) -> str | None:
    """The newest input, given the cumulative `text` of the previous hop and of this one.

    None when the text is the previous one again (a provider retry: repeat the stored
    screen). When the text does not extend the previous one (or there is none), the last
    `*`-separated part.
    """
    text = text or ""
    if previous_text is not None:
        if text == previous_text:
            return None
        if previous_text == "":
            return text
        if text.startswith(previous_text + SEPARATOR):
            return text[len(previous_text) + 1 :]
    return text.rsplit(SEPARATOR, 1)[-1]
