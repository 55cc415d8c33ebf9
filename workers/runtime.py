"""What jobs need at run time (settings, database, Redis, senders), handed in at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

    from casebridge.db import Database
    from casebridge.messaging import Sender
    from casebridge.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    db: Database
    redis: Redis
    senders: dict[str, Sender] = field(default_factory=dict)


_current: Runtime | None = None


def configure(runtime: Runtime) -> None:
    """Install the runtime for this process; the CLI (or a test) calls it before any job runs."""
    global _current
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("workers.runtime.configure() was not called in this process")
    return _current
