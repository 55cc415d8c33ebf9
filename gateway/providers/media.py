"""Downloading a file a reporter sent, as every provider's `fetch_media` does: only from the
provider's own hosts (redirects too; credentials only to the first host), reading no more than
the limit allows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urljoin, urlsplit

import requests

from casebridge.attachments import Refused

MAX_REDIRECTS = 3
TIMEOUT = (5, 60)
CHUNK = 64 * 1024


def allowed_host(url: str, hosts: Iterable[str]) -> bool:
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
        if parts.netloc.lower() == host or (":" not in host and name == host):
            return True
    return False


def download(
    url: str,
    hosts: Iterable[str],
    limit: int,
    *,
    auth: tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    session: requests.Session | None = None,
) -> tuple[bytes, str]:
    """The file's bytes and content type. Refused for a foreign host or more than `limit`
    bytes (reading stops there); an HTTP error is raised (the job tries again)."""
    hosts = tuple(hosts)
    http = session or requests.Session()
    first = urlsplit(url).netloc
    for _ in range(MAX_REDIRECTS + 1):
        if not allowed_host(url, hosts):
            raise Refused(f"{urlsplit(url).hostname or 'the address'} is not the provider's host")
        own = urlsplit(url).netloc == first
        with http.get(
            url,
            auth=auth if own else None,
            headers=dict(headers or {}) if own else None,
            timeout=TIMEOUT,
            stream=True,
            allow_redirects=False,
        ) as res:
            if res.is_redirect:
                url = urljoin(url, res.headers["Location"])
                continue
            res.raise_for_status()
            declared = res.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise Refused(f"larger than the limit of {limit} bytes (MAX_MEDIA_BYTES)")
            body = bytearray()
            for chunk in res.iter_content(CHUNK):
                body.extend(chunk)
                if len(body) > limit:
                    raise Refused(f"larger than the limit of {limit} bytes (MAX_MEDIA_BYTES)")
            return bytes(body), res.headers.get("Content-Type", "")
    raise Refused(f"more than {MAX_REDIRECTS} redirects")
