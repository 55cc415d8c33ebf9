"""Files that are never kept: larger than MAX_MEDIA_BYTES (reading stops there), of a type
not allowed, or served from a host that is not Meta's. Each is refused once, not retried, and
shows on the case's timeline; nothing is written to MEDIA_PATH."""

from __future__ import annotations

import pytest
from fakes import meta_webhooks
from sqlalchemy import select

from casebridge.models import Attachment

from .helpers import PHONE, events, report, say

LIMIT = 4096


@pytest.fixture
def settings_overrides(whatsapp_settings) -> dict:
    return {**whatsapp_settings, "max_media_bytes": LIMIT}


CASES = {
    "declared too large": (b"\xff\xd8" + b"x" * 100, "image/jpeg", LIMIT * 10, None, "larger than"),
    "larger than declared": (
        b"\xff\xd8" + b"x" * (LIMIT * 3),
        "image/jpeg",
        10,
        None,
        "larger than",
    ),
    "type not allowed": (
        b"MZ" + b"x" * 100,
        "application/x-msdownload",
        None,
        None,
        "not accepted",
    ),
    "foreign host": (b"\xff\xd8" + b"x" * 100, "image/jpeg", None, "http://127.0.0.2:9", "host"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_refused_on_the_timeline(name, client, services, sms_jobs, orgs, fake_graph, clock):
    content, content_type, declared, host, reason = CASES[name]
    ref = report(client, sms_jobs, clock)
    fake_graph.media_host = host
    media_id = fake_graph.add_media(content, content_type, declared_size=declared)
    kind = "document" if content_type.startswith("application") else "image"
    say(client, sms_jobs, meta_webhooks.media(PHONE, kind, media_id, content_type), clock)
    with services.db.session() as session:
        row = session.scalars(select(Attachment)).one()
        assert row.status == "failed" and row.attempts == 1, (row.status, row.error)
        assert reason in row.error
        assert row.case_id is not None and row.stored_path is None
    failed = [note for kind, note in events(services, ref) if kind == "attachment_failed"]
    assert len(failed) == 1 and reason in failed[0]
    media_dir = services.settings.media_dir
    assert not media_dir.exists() or not [
        p for p in media_dir.iterdir() if not p.name.startswith(".")
    ]
    sms_jobs.tick()
    sms_jobs.run()
    with services.db.session() as session:
        assert session.scalars(select(Attachment)).one().attempts == 1  # not tried again
