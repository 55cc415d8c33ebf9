"""RQ jobs of the voice line: the missed-call callback and, when configured, a copy of the
recording. Plain arguments, safe to run twice; the provider's part (`place_call`,
`fetch_recording`) comes from its `Provider` record, handed in as `Runtime.voice`.

RQ keeps a job's arguments in Redis, so a number or a recording's URL travels sealed
(`DataKeys.encrypt`); one enqueued plain by an older version is still taken. A recording is
kept sealed on disk (`casebridge.sealed`), owner-only: `read_recording` gives it back."""

from __future__ import annotations

import logging
from pathlib import Path

from redis import Redis
from sqlalchemy import select

from casebridge.attachments import Refused
from casebridge.datakeys import DataKeys, key_id
from casebridge.messaging import PermanentSendError
from casebridge.models import Case
from casebridge.sealed import read_file, write_file
from workers import queues
from workers.runtime import VoiceLine, current

from . import callback, metrics

log = logging.getLogger(__name__)
MAX_RECORDING_BYTES = 20 * 1024 * 1024
EXTENSIONS = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav"}


def provider_voice(provider: str) -> VoiceLine:
    """The voice line of a known provider (handed to the workers at start)."""
    lines = current().voice
    if provider not in lines:
        raise ValueError(f"unknown provider {provider!r}; known: {', '.join(lines)}")
    return lines[provider]


def _opened(keys: DataKeys, value: str) -> str:
    """A job's argument as given (sealed by `keys.encrypt`, or plain from an older version)."""
    return keys.decrypt(value) if key_id(value) else value


def call_back(provider: str, phone: str) -> str | None:
    """Place the callback call; returns the provider's call id. A refusal by the provider is
    final (logged and counted); anything else is raised so that RQ tries again."""
    rt = current()
    phone = _opened(rt.settings.data_keys, phone)
    try:
        call_id = provider_voice(provider).place_call(rt.settings, phone)
    except PermanentSendError as exc:
        log.warning("callback through %s refused: %s", provider, exc)
        metrics.count(rt.redis, "callbacks", provider, "failed")
        return None
    callback.remember_outbound(rt.redis, rt.settings.data_keys, provider, call_id, phone)
    metrics.count(rt.redis, "callbacks", provider, "placed")
    return call_id


def recordings_dir() -> Path:
    return current().settings.instance_dir / "recordings"


def enqueue_store_recording(
    redis: Redis, keys: DataKeys, provider: str, reference: str, url: str
) -> None:
    """Queue a copy of the recording (STORE_RECORDINGS); the case keeps the provider's URL."""
    queues.enqueue(redis, queues.STORE_RECORDING, provider, reference, keys.encrypt(url))


def store_recording(provider: str, reference: str, url: str) -> str:
    """Download the recording into `<instance>/recordings/<reference>.<ext>` (once), sealed."""
    keys = current().settings.data_keys
    url = _opened(keys, url)
    folder = recordings_dir()
    existing = sorted(folder.glob(f"{reference}.*")) if folder.is_dir() else []
    if existing:
        return str(existing[0])
    if _forgotten(reference):
        log.info("recording of %s not kept: the case's personal data was removed", reference)
        return ""
    try:
        body, content_type = provider_voice(provider).fetch_recording(current().settings, url)
    except Refused as exc:  # a foreign host, or larger than a recording can be
        log.warning("recording of %s not kept: %s", reference, exc)
        return ""
    ext = EXTENSIONS.get(content_type.split(";")[0].strip().lower(), ".audio")
    stored = write_file(folder / f"{reference}{ext}", body, keys)
    if _forgotten(reference):  # forgotten while it downloaded: the copy goes too
        stored.unlink(missing_ok=True)
        return ""
    return str(stored)


def _forgotten(reference: str) -> bool:
    """Its case's personal data was removed (forgotten) while the copy waited in the queue."""
    with current().db.session() as session:
        removed = session.execute(
            select(Case.personal_data_removed_at).where(Case.reference == reference)
        ).first()
    return removed is not None and removed[0] is not None


def read_recording(path: Path, keys: DataKeys) -> bytes:
    """A kept recording as the provider sent it (one kept before sealing, as it is)."""
    return read_file(path, keys)
