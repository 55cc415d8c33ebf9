"""What jobs need at run time (settings, database, Redis, senders, what follows a new case and
what runs on every tick), handed in at start by the command that runs the workers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

    from casebridge.db import Database
    from casebridge.messaging import Sender
    from casebridge.settings import Settings


@dataclass(frozen=True)
class VoiceLine:
    """A provider's voice line as the jobs use it."""

    place_call: Callable[[Settings, str], str]
    fetch_recording: Callable[[Settings, str], tuple[bytes, str]]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    redis: Redis
    senders: dict[str, Sender] = field(default_factory=dict)
    voice: dict[str, VoiceLine] = field(default_factory=dict)
    media: dict[str, Callable[[Settings, str, int], tuple[bytes, str]]] = field(
        default_factory=dict
    )
    """By provider: how it downloads a file a reporter sent (its media id or URL, the most
    bytes to read) -> the bytes and content type; `casebridge.attachments.Refused` when never."""
    """By provider: how its voice line calls back and fetches recordings."""
    after_case: tuple[Callable[[int, bool], object], ...] = ()
    """Run with (case_id, created) after an intake became a case: forwarding it."""
    periodic: tuple[Callable[[], object], ...] = ()
    """Run on every tick of the sweeper: forwarding's and the SMS channel's sweeps, SLA checks."""


_current: Runtime | None = None


def configure(runtime: Runtime) -> None:
    """Install the runtime for this process; the CLI (or a test) calls it before any job runs."""
    global _current
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("workers.runtime.configure() was not called in this process")
    return _current
