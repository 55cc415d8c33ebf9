"""A copy of Redis shows no reporter: USSD and SMS dialogues in progress hold a name, a
description and a phone number, and none of them is readable in any key or value (RQ's job
data decompressed), nor in the embedded Redis's snapshot, which only its owner may read."""

from __future__ import annotations

import stat
import zlib

import pytest
import time_machine
from fakes.plugin import *  # noqa: F403 - the fake providers' fixtures
from fakes.plugin import AT_TOKEN
from fakes.webhooks import at_sms
from redis import Redis

from casebridge.datakeys import DataKeys, generate
from casebridge.models import utcnow
from gateway.app import create_app
from gateway.embedded_redis import EmbeddedRedis
from gateway.services import Services
from tests.conftest import TEST_DATA_KEY, TEST_KEYS, Jobs, make_settings, phone_index
from tests.ussd.phone import Phone

USSD_PHONE = "+6281234567890"
SMS_PHONE = "+6285712345678"
NAME = "Sulastri Wulandari"
DESCRIPTION = "majikan Tjahjono memukul"
SMS_NAME = "Kusumaningrum Prameswari"
SMS_DESCRIPTION = "agen Wiryawan menahan paspor"
USSD_TO_DESCRIPTION = ["1", "2", "2", NAME, "1", "1", "2", "Jawa Timur", "Banyuwangi"]
USSD_TO_DESCRIPTION += ["0123456789", DESCRIPTION]
"""A family member's report up to (and with) its description; the summary comes next."""


def forms(phone: str) -> list[bytes]:
    """A number as it may be written: +62…, 62…, 0…"""
    national = "0" + phone[3:]
    return [phone.encode(), phone[1:].encode(), national.encode()]


SECRETS = [NAME, DESCRIPTION, SMS_NAME, SMS_DESCRIPTION, "Tjahjono", "Wiryawan"]


def secrets_in(blob: bytes) -> list[str]:
    found = [s for s in SECRETS if s.encode() in blob or s.lower().encode() in blob.lower()]
    return found + [f.decode() for p in (USSD_PHONE, SMS_PHONE) for f in forms(p) if f in blob]


def _opened(value: bytes) -> bytes:
    """A value, and its zlib-decompressed form when it is one (RQ compresses job data)."""
    try:
        return value + b"\n" + zlib.decompress(value)
    except zlib.error:
        return value


def everything(redis: Redis) -> bytes:
    """Every key and value of the database, as bytes to search."""
    out: list[bytes] = []
    for key in redis.scan_iter(count=500):
        out.append(key)
        kind = redis.type(key).decode()
        if kind == "string":
            out.append(_opened(redis.get(key)))
        elif kind == "hash":
            for field, value in redis.hgetall(key).items():
                out += [field, _opened(value)]
        elif kind == "list":
            out += [_opened(v) for v in redis.lrange(key, 0, -1)]
        elif kind == "set":
            out += list(redis.smembers(key))
        elif kind == "zset":
            out += list(redis.zrange(key, 0, -1))
        elif kind == "stream":
            out += [repr(e).encode() for e in redis.xrange(key)]
    return b"\n".join(out)


def dialogues(client, jobs: Jobs, traveller) -> Phone:
    """A USSD report up to its summary and an SMS report up to its last question, both left
    open (their state is in Redis); returns the USSD phone."""
    phone = Phone(client, USSD_PHONE, token=AT_TOKEN)
    phone.dial()
    assert phone.press(*USSD_TO_DESCRIPTION).startswith("CON Siapa yang menangani laporan?")
    for text in (f"LAPOR {SMS_DESCRIPTION} di Malaysia", "1", SMS_NAME):
        traveller.shift(30)
        assert at_sms(client, SMS_PHONE, "20880", text).status_code == 200
        jobs.run()
    return phone


@pytest.fixture
def traveller():
    with time_machine.travel(utcnow(), tick=True) as t:
        yield t


def test_dialogues_in_progress_leave_nothing_readable_in_redis(
    client, services, sms_jobs, orgs, traveller
):
    phone = dialogues(client, sms_jobs, traveller)
    dump = everything(services.redis)
    assert secrets_in(dump) == []
    # what is kept is the dialogues (so the search above could have found them), sealed
    (session,) = services.redis.scan_iter("ussd:session:*")
    (resume,) = services.redis.scan_iter("ussd:resume:*")
    (sms,) = services.redis.scan_iter("pengaduan:sms:report:*")
    for sealed in (TEST_KEYS.unseal(services.redis.get(k)) for k in (session, resume)):
        assert NAME.encode() in sealed and DESCRIPTION.encode() in sealed
    kept = TEST_KEYS.decrypt(services.redis.get(sms).decode())
    assert SMS_NAME in kept and SMS_DESCRIPTION in kept
    # and both dialogues go on from what Redis keeps
    assert phone.press("1").startswith("CON "), phone.reply
    assert secrets_in(everything(services.redis)) == []


def test_a_value_no_key_opens_is_a_new_dialogue(client, services, orgs):
    """After a rotation dropped the old key, a session under it reads as absent: the caller
    starts again (as after a Redis restart), never an error."""
    phone = Phone(client, USSD_PHONE, token=AT_TOKEN)
    phone.dial()
    phone.press("1", "2")
    other = DataKeys.from_text(generate())
    for key in services.redis.scan_iter("ussd:session:*"):
        services.redis.set(key, other.seal(b'{"phone": "+6281234567890"}'), keepttl=True)
    assert phone.press("2").startswith("CON Layanan Pengaduan Pekerja Migran\n")


def test_a_dialogue_goes_on_through_a_rotation(client, services, orgs):
    """A new key put first (`pengaduan keys rotate`): a session and a resume offer sealed and
    named under the old one are still found, and the next write is under the new one."""
    phone = Phone(client, USSD_PHONE, token=AT_TOKEN)
    phone.dial()
    phone.press("1", "2")
    asked = phone.press("2")
    services.settings.__dict__["data_keys"] = DataKeys.from_text(f"{generate()},{TEST_DATA_KEY}")
    assert phone.retry() == asked  # the session, found under the old index
    assert phone.press(NAME).startswith("CON "), phone.reply
    assert phone.reply != asked
    again = Phone(client, USSD_PHONE, token=AT_TOKEN)
    assert again.dial().startswith("CON Ada laporan Anda yang belum selesai. Lanjutkan?\n")
    new = services.settings.data_keys.index(USSD_PHONE)
    assert services.redis.exists(f"ussd:resume:{new}")
    assert not services.redis.exists(f"ussd:resume:{phone_index(USSD_PHONE)}")


@pytest.fixture
def embedded(tmp_path, database_url, orgs, provider_settings):
    """An embedded Redis in an instance folder of its own, and services and an app on it."""
    server = EmbeddedRedis(tmp_path / "instance")
    url = server.start()
    svc = Services.build(
        make_settings(database_url, url, tmp_path / "instance", **provider_settings)
    )
    try:
        yield server, svc
    finally:
        svc.close()
        server.stop()


def test_the_embedded_snapshot_is_owner_only_and_shows_no_reporter(embedded, traveller):
    server, svc = embedded
    app = create_app(services=svc)
    app.config["TESTING"] = True
    dialogues(app.test_client(), Jobs(svc), traveller)
    svc.redis.config_set("rdbcompression", "no")  # so that plain text would show in the file
    svc.redis.set("canary", "a plain value, to show the search reads the file")
    svc.redis.save()
    snapshot = server.dir / "redis.db"
    blob = snapshot.read_bytes()
    assert b"a plain value, to show the search reads the file" in blob
    assert b"ussd:session:" in blob
    assert secrets_in(blob) == []
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.dir.stat().st_mode) == 0o700
