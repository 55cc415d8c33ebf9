"""RQ jobs of the voice line: the missed-call callback and, when configured, a copy of the
recording. Plain arguments, safe to run twice; the provider's part (`place_call`,
`fetch_recording`) comes from its `Provider` record, handed in as `Runtime.voice`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from redis import Redis

from casebridge.messaging import PermanentSendError
from workers import queues
from workers.runtime import VoiceLine, current

from . import callback, metrics

log = logging.getLogger(__name__)
MAX_RECORDING_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 3
EXTENSIONS = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav"}


def provider_voice(provider: str) -> VoiceLine:
    """The voice line of a known provider (handed to the workers at start)."""
    lines = current().voice
    if provider not in lines:
        raise ValueError(f"unknown provider {provider!r}; known: {', '.join(lines)}")
    return lines[provider]


def call_back(provider: str, phone: str) -> str | None:
    """Place the callback call; returns the provider's call id. A refusal by the provider is
    final (logged and counted); anything else is raised so that RQ tries again."""
    rt = current()
    try:
        call_id = provider_voice(provider).place_call(rt.settings, phone)
    except PermanentSendError as exc:
        log.warning("callback through %s refused: %s", provider, exc)
        metrics.count(rt.redis, "callbacks", provider, "failed")
        return None
    callback.remember_outbound(rt.redis, provider, call_id, phone)
    metrics.count(rt.redis, "callbacks", provider, "placed")
    return call_id


class ForeignHost(ValueError):
    """A recording URL (or a redirect) pointing away from the provider's own hosts."""


def provider_host(url: str, hosts: Iterable[str]) -> bool:
    """True when the URL is http(s) on one of `hosts`: a `host[:port]` as given, or a domain
    written `.example.com` that matches it and its subdomains."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    name = parts.hostname.lower()
    for host in hosts:
        host = host.lower()
        if host.startswith(".") and (name.endswith(host) or name == host[1:]):
            return True
        if parts.netloc.lower() == host:
            return True
    return False


def download(
    url: str, hosts: Iterable[str], auth: tuple[str, str] | None = None
) -> tuple[bytes, str]:
    """A recording's bytes and content type, fetched only from the provider's `hosts`
    (redirects followed only there; `auth` only to the first URL's host). ForeignHost when
    it points elsewhere; an HTTP error is raised (RQ tries again)."""
    hosts = tuple(hosts)
    first = urlsplit(url).netloc
    for _ in range(MAX_REDIRECTS + 1):
        if not provider_host(url, hosts):
            raise ForeignHost(f"{urlsplit(url).netloc or url[:40]} is not the provider's host")
        sent_auth = auth if urlsplit(url).netloc == first else None
        with requests.get(
            url, auth=sent_auth, timeout=(5, 60), stream=True, allow_redirects=False
        ) as res:
            if res.is_redirect:
                url = urljoin(url, res.headers["Location"])
                continue
            res.raise_for_status()
            body = res.raw.read(MAX_RECORDING_BYTES + 1, decode_content=True)
            return body, res.headers.get("Content-Type", "")
    raise ForeignHost(f"more than {MAX_REDIRECTS} redirects")


def recordings_dir() -> Path:
    return current().settings.instance_dir / "recordings"


def enqueue_store_recording(redis: Redis, provider: str, reference: str, url: str) -> None:
    """Queue a copy of the recording (STORE_RECORDINGS); the case keeps the provider's URL."""
    queues.enqueue(redis, queues.STORE_RECORDING, provider, reference, url)


def store_recording(provider: str, reference: str, url: str) -> str:
    """Download the recording into `<instance>/recordings/<reference>.<ext>` (once)."""
    folder = recordings_dir()
    existing = sorted(folder.glob(f"{reference}.*")) if folder.is_dir() else []
    if existing:
        return str(existing[0])
    try:
        body, content_type = provider_voice(provider).fetch_recording(current().settings, url)
    except ForeignHost as exc:
        log.warning("recording of %s not kept: %s", reference, exc)
        return ""
    if len(body) > MAX_RECORDING_BYTES:
        log.warning(
            "recording of %s not kept: %d bytes is more than expected", reference, len(body)
        )
        return ""
    ext = EXTENSIONS.get(content_type.split(";")[0].strip().lower(), ".audio")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{reference}{ext}"
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(body)
    partial.replace(target)
    return str(target)
