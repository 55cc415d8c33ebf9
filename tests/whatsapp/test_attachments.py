"""A voice note and a photo sent on WhatsApp join the reporter's case, are downloaded from the
fake Graph API into MEDIA_PATH, and reach the organisation through the org API; a photo with
no case starts a report and joins the case it becomes."""

from __future__ import annotations

import hashlib
import stat

from fakes import meta_webhooks, webhooks
from sqlalchemy import select

from casebridge.models import Attachment
from workers import queues

from .helpers import PHONE, events, report, say, texts_to

JPEG = b"\xff\xd8\xff\xe0" + b"contract page" * 50
OGG = b"OggS" + b"voice note" * 80


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_voice_note_and_photo_reach_the_organisation(
    client, services, sms_jobs, orgs, fake_graph, clock, api_key
):
    ref = report(client, sms_jobs, clock)
    voice = fake_graph.add_media(OGG, "audio/ogg; codecs=opus")
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(
        client,
        sms_jobs,
        meta_webhooks.media(PHONE, "audio", voice, "audio/ogg; codecs=opus", voice=True),
        clock,
    )
    say(
        client,
        sms_jobs,
        meta_webhooks.media(PHONE, "image", photo, "image/jpeg", caption="kontrak saya"),
        clock,
    )

    key = api_key("SBMI-BWI")
    case = client.get(f"/api/v1/cases/{ref}", headers=auth(key)).get_json()
    listed = {a["kind"]: a for a in case["attachments"]}
    assert set(listed) == {"audio", "image"}
    assert listed["image"]["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert listed["image"]["size"] == len(JPEG)
    assert listed["audio"]["content_type"] == "audio/ogg"
    assert listed["audio"]["channel"] == "whatsapp"
    assert [e["kind"] for e in case["timeline"]].count("attachment") == 2

    answer = client.get(
        f"/api/v1/cases/{ref}/attachments/{listed['image']['id']}", headers=auth(key)
    )
    assert answer.status_code == 200
    assert answer.data == JPEG
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Cache-Control"] == "no-store"
    stored = next(services.settings.media_dir.iterdir())
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(services.settings.media_dir.stat().st_mode) == 0o700

    # the caption joined the case and reached the caseworker; the reporter was told
    assert any("kontrak saya" in note for kind, note in events(services, ref))
    assert any("sudah diteruskan" in t for t in texts_to(fake_graph))


def test_another_organisation_gets_404(
    client, services, sms_jobs, orgs, fake_graph, clock, api_key
):
    ref = report(client, sms_jobs, clock)
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(client, sms_jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    with services.db.session() as session:
        attachment_id = session.scalar(select(Attachment.id))
    other = api_key("PAR-JATENG")
    mine = api_key("SBMI-BWI")
    url = f"/api/v1/cases/{ref}/attachments/{attachment_id}"
    assert client.get(url, headers=auth(other)).status_code == 404
    assert client.get(f"/api/v1/cases/{ref}", headers=auth(other)).status_code == 404
    assert client.get(f"{url}9", headers=auth(mine)).status_code == 404
    assert client.get(url, headers=auth(mine)).status_code == 200
    assert client.get(url).status_code == 401


def test_photo_without_a_case_starts_a_report_and_joins_it(
    client, services, sms_jobs, orgs, fake_graph, clock
):
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(client, sms_jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    first = texts_to(fake_graph)
    assert len(first) == 1 and "negara" in first[0]  # the report's first question
    voice = fake_graph.add_media(OGG, "audio/ogg")
    say(client, sms_jobs, meta_webhooks.media(PHONE, "audio", voice, "audio/ogg"), clock)
    assert "File Anda diterima" in texts_to(fake_graph)[-1]
    for value in (
        meta_webhooks.reply(PHONE, "1", "Malaysia", "list_reply"),
        meta_webhooks.reply(PHONE, "2", "Gaji tak dibayar", "list_reply"),
        meta_webhooks.reply(PHONE, "1", "Diri sendiri", "list_reply"),
        meta_webhooks.text(PHONE, "Wati"),
        meta_webhooks.reply(PHONE, "1", "Perempuan", "list_reply"),
        meta_webhooks.text(PHONE, "Banyuwangi"),
        meta_webhooks.reply(PHONE, "1", "Ya, aman"),
    ):
        say(client, sms_jobs, value, clock)
    assert "Laporan Anda diterima" in texts_to(fake_graph)[-1]
    with services.db.session() as session:
        rows = list(session.scalars(select(Attachment).order_by(Attachment.id)))
        assert [(a.kind, a.status) for a in rows] == [("image", "stored"), ("audio", "stored")]
        assert rows[0].case_id is not None and rows[0].case_id == rows[1].case_id


def test_twilio_mms_photo_is_kept(client, services, sms_jobs, orgs, fake_twilio, fake_graph, clock):
    url = fake_twilio.add_media(JPEG, "image/jpeg")
    params = {
        "MessageSid": "MM" + "a" * 32,
        "AccountSid": "AC" + "1" * 32,
        "From": "+85251234568",
        "To": "+85258001234",
        "Body": "",
        "NumMedia": "1",
        "MediaUrl0": url,
        "MediaContentType0": "image/jpeg",
    }
    answer = webhooks.post_twilio(client, "/sms/twilio", params)
    assert answer.status_code == 200
    sms_jobs.run()
    with services.db.session() as session:
        row = session.scalars(select(Attachment)).one()
        assert (row.status, row.channel, row.size) == ("stored", "sms", len(JPEG))
    assert any(
        "country" in m["message"].lower() or "negara" in m["message"] for m in fake_twilio.sent
    )


def test_a_failed_download_is_retried(client, services, sms_jobs, orgs, fake_graph, clock):
    ref = report(client, sms_jobs, clock)
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    fake_graph.media_failures = 1
    say(client, sms_jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    with services.db.session() as session:
        row = session.scalars(select(Attachment)).one()
        assert (row.status, row.attempts) == ("retrying", 1)
        assert "500" in row.error
        attachment_id = row.id
    retried = [note for kind, note in events(services, ref) if kind == "attachment_retry"]
    assert len(retried) == 1 and "trying again" in retried[0]
    queues.enqueue(services.redis, queues.DOWNLOAD_MEDIA, attachment_id)
    sms_jobs.run()
    with services.db.session() as session:
        assert session.get(Attachment, attachment_id).status == "stored"


def test_two_photos_in_a_row_both_join_the_case(
    client, services, sms_jobs, orgs, fake_graph, clock
):
    report(client, sms_jobs, clock)
    for content in (JPEG, JPEG + b"second page"):
        media_id = fake_graph.add_media(content, "image/jpeg")
        clock.shift(1)
        assert (
            meta_webhooks.post(
                client, meta_webhooks.media(PHONE, "image", media_id, "image/jpeg")
            ).status_code
            == 200
        )
    sms_jobs.run()
    with services.db.session() as session:
        rows = list(session.scalars(select(Attachment)))
        assert len(rows) == 2 and all(r.case_id is not None and r.status == "stored" for r in rows)


def test_exports_list_attachments_not_inline(
    client, services, sms_jobs, orgs, fake_graph, api_key, clock
):
    ref = report(client, sms_jobs, clock)
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(client, sms_jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    key = api_key("SBMI-BWI")
    exported = client.get("/api/v1/export?format=json", headers=auth(key)).get_json()
    case = next(c for c in exported["cases"] if c["reference"] == ref)
    assert [a["kind"] for a in case["attachments"]] == ["image"]
    assert "contract page" not in str(exported)
    xml = client.get("/api/v1/export?format=xml", headers=auth(key))
    assert (
        xml.status_code == 200 and b"<attachment>" in xml.data and b"<kind>image</kind>" in xml.data
    )
    csv = client.get("/api/v1/export?format=csv", headers=auth(key)).get_data(as_text=True)
    assert hashlib.sha256(JPEG).hexdigest() in csv


def test_the_workspace_lists_and_downloads_them(
    client, services, sms_jobs, orgs, fake_graph, clock, sign_in_as
):
    """The case page lists the photo, and its link downloads it to the case's organisation
    only (a read under the person's name); another organisation's caseworker gets 404."""
    from tests.people import make_person

    ref = report(client, sms_jobs, clock)
    photo = fake_graph.add_media(JPEG, "image/jpeg")
    say(client, sms_jobs, meta_webhooks.media(PHONE, "image", photo, "image/jpeg"), clock)
    with services.db.session() as session:
        attachment_id = session.scalar(select(Attachment.id))
    url = f"/cases/{ref}/attachments/{attachment_id}"

    sign_in_as(make_person(services, "PAR-JATENG"))
    assert client.get(url).status_code == 404

    siti = make_person(services, "SBMI-BWI", name="Siti Aminah")
    sign_in_as(siti)
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    section = page[page.index('id="attachments"') :]
    assert f'href="{url}"' in section and "Foto #" in section
    answer = client.get(url)
    assert answer.status_code == 200 and answer.data == JPEG
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Cache-Control"] == "no-store"
    assert client.get(f"{url}9").status_code == 404
    reads = [note for kind, note in events(services, ref) if kind == "read"]
    assert any(note.endswith(f"/attachments/{attachment_id}") for note in reads)
