"""The media job: download a file a reporter sent from its provider into MEDIA_PATH, once.
The provider's part (`fetch_media`) comes from its `Provider` record, handed in as
`Runtime.media`; a passing failure is retried with backoff (`casebridge.attachments`), a
refusal (type, size, foreign host) is final and on the case's timeline."""

from __future__ import annotations

import logging

from casebridge import attachments
from casebridge.models import Attachment

from . import queues
from .runtime import current

log = logging.getLogger(__name__)


def download(attachment_id: int) -> str:
    """Fetch and keep one attachment; returns its status."""
    rt = current()
    with rt.db.session() as session:
        row = attachments.claim(session, attachment_id)
        if row is None:
            return "skipped"
        provider, ref = row.provider, row.provider_media_id
    fetch = rt.media.get(provider)
    limit = rt.settings.max_media_bytes
    try:
        if fetch is None:
            raise attachments.Refused(f"no media download for provider {provider!r}")
        body, content_type = fetch(rt.settings, ref, limit)
        with rt.db.session() as session:
            row = session.get(Attachment, attachment_id)
            attachments.store(session, row, body, content_type, rt.settings.media_dir, limit)
            return row.status
    except attachments.Refused as exc:
        with rt.db.session() as session:
            attachments.fail(session, session.get(Attachment, attachment_id), str(exc))
        log.warning("attachment %s refused: %s", attachment_id, exc)
        return "failed"
    except Exception as exc:
        with rt.db.session() as session:
            row = session.get(Attachment, attachment_id)
            again = attachments.retry_later(session, row, f"{type(exc).__name__}: {exc}"[:300])
        log.warning("attachment %s not downloaded (%s)", attachment_id, type(exc).__name__)
        return "retrying" if again else "failed"


def sweep() -> int:
    """Enqueue downloads whose (next) try is due, lost ones included."""
    rt = current()
    with rt.db.session() as session:
        ids = attachments.due(session)
    queues.enqueue_each(rt.redis, queues.DOWNLOAD_MEDIA, ids)
    return len(ids)
