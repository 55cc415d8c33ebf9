"""Downloading a file a person sent: `GET {WHATSAPP_API_URL}/{media-id}` (bearer) answers a
short-lived `url`, fetched with the same bearer, only from Meta's media host
(lookaside.fbsbx.com) or the Graph API's own host."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from casebridge.attachments import Refused
from casebridge.settings import Settings

from ..media import TIMEOUT, download

MEDIA_HOSTS = ("lookaside.fbsbx.com",)


def hosts(settings: Settings) -> tuple[str, ...]:
    return (urlsplit(settings.whatsapp_api_url).netloc, *MEDIA_HOSTS)


def fetch_media(settings: Settings, media_id: str, limit: int) -> tuple[bytes, str]:
    if not settings.whatsapp_token:
        raise RuntimeError("WHATSAPP_TOKEN is not set")
    if not media_id.replace("_", "").isalnum():
        raise Refused("not a WhatsApp media id")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {settings.whatsapp_token}"
    res = http.get(f"{settings.whatsapp_api_url.rstrip('/')}/{media_id}", timeout=TIMEOUT)
    res.raise_for_status()
    info = res.json()
    size = info.get("file_size")
    if isinstance(size, int) and size > limit:
        raise Refused(f"larger than the limit of {limit} bytes (MAX_MEDIA_BYTES)")
    url = info.get("url")
    if not isinstance(url, str):
        raise RuntimeError("media answer without a url")
    body, content_type = download(url, hosts(settings), limit, session=http)
    return body, content_type or str(info.get("mime_type") or "")
