"""URLs the renderers write: recordings under the audio base URL, and the no-input marker.

Africa's Talking sends no request when `<GetDigits>` times out, and Twilio sends none when
`<Record>` heard nothing: both then run the next verb, a `<Redirect>` to the callback URL with
`?timeout=1` that the adapter turns into `VoiceInput(timed_out=True)`. On AT a `<Redirect>`
also becomes the callback for the rest of the call (our `<GetDigits>`/`<Record>` name theirs
explicitly), so the adapter should look at `isActive=0` (call ended) before the marker.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

NO_INPUT_PARAM = "timeout"


def audio_url(audio_base_url: str, audio_file: str) -> str:
    """Where the app serves a file of `ivr_scripts/audio/`."""
    return f"{audio_base_url.rstrip('/')}/{quote(audio_file)}"


def mark_no_input(url: str) -> str:
    """The URL with `timeout=1` added to its query string."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k != NO_INPUT_PARAM] + [(NO_INPUT_PARAM, "1")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def is_no_input(params: dict) -> bool:
    """True for a request made by the redirect that `mark_no_input` wrote."""
    return params.get(NO_INPUT_PARAM) == "1"
