"""What one turn of a call says and waits for, independent of the provider."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Say:
    """Text spoken in `lang`. `audio` names recordings of `ivr_scripts/audio/` that, played
    one after the other, hold the same words (the reference as one file per digit); a
    provider with no voice for `lang` plays them instead. Empty when there are none."""

    text: str
    lang: str
    audio: tuple[str, ...] = ()


@dataclass(frozen=True)
class Play:
    """A recording from `ivr_scripts/audio/`, played on every provider."""

    audio_file: str


@dataclass(frozen=True)
class Gather:
    """Wait for keys: up to `num_digits`, `timeout` seconds, ended early by `finish_on_key`."""

    num_digits: int = 1
    timeout: int = 8
    finish_on_key: str = "#"


@dataclass(frozen=True)
class Record:
    """Record a message of at most `max_length` seconds; `timeout` seconds of silence end it."""

    max_length: int = 120
    finish_on_key: str = "#"
    timeout: int = 5


@dataclass(frozen=True)
class Hangup:
    """End the call after the speech."""


@dataclass(frozen=True)
class Reject:
    """Refuse the call without answering it (no speech is rendered)."""


Speech = Say | Play
Action = Gather | Record | Hangup | Reject


@dataclass(frozen=True)
class Step:
    """The speech items in order, then at most one action; no action means the call ends."""

    lang: str
    speech: tuple[Speech, ...] = field(default_factory=tuple)
    action: Action | None = None


@dataclass(frozen=True)
class VoiceInput:
    """What the caller did since the last step. `timed_out` (or empty digits on a Gather)
    means no input; after a Record, the recording's URL and length in seconds."""

    digits: str | None = None
    recording_url: str | None = None
    recording_duration: int | None = None
    timed_out: bool = False
