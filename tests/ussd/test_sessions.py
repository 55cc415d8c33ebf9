"""USSD sessions in Redis: their keys and lifetimes, two round trips a hop, no database on
ordinary hops, and a screen (never an error) when Redis or the database is away."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from casebridge.models import Intake
from gateway.app import create_app
from gateway.services import Services, connect_redis
from gateway.ussd import store
from gateway.ussd.link import Link
from tests.conftest import TEST_KEYS, phone_index

from .phone import CALLER, Phone

BUSY = (
    "END Maaf, layanan sedang sibuk. Silakan coba lagi beberapa menit lagi. "
    "Darurat: BP2MI 0800-1000 (gratis), Polisi 110."
)
TO_SUMMARY = ["1", "2", "2", "Siti", "1", "1", "2", "Jawa Timur", "Banyuwangi", "1", "1", "1"]
TO_SUMMARY += ["1"]  # the service chooses; SMS is safe


def _ttl(services, key: str) -> int:
    return services.redis.ttl(key)


def test_session_is_kept_by_session_id_with_a_ttl(dial, services):
    phone = dial()
    key = store.session_key("africastalking", phone_index(phone.phone), phone.session_id)
    assert store.SESSION_TTL == 600
    assert 595 <= _ttl(services, key) <= 600
    saved = json.loads(TEST_KEYS.unseal(services.redis.get(key)))
    assert saved["phone"] == CALLER and saved["text"] == "" and saved["state"]["at"] == "main"
    phone.press("1", "2")
    assert 595 <= _ttl(services, key) <= 600
    assert json.loads(TEST_KEYS.unseal(services.redis.get(key)))["text"] == "1*2"


def test_resume_offer_is_kept_by_phone_for_30_minutes(dial, services):
    phone = dial()
    phone.press("1", "2")
    assert not services.redis.exists(
        store.resume_key(phone_index(CALLER))
    )  # one answer: nothing to offer
    phone.press("2", "Siti")
    assert store.RESUME_TTL == 1800
    assert 1795 <= _ttl(services, store.resume_key(phone_index(CALLER))) <= 1800
    offered = json.loads(
        TEST_KEYS.unseal(services.redis.get(store.resume_key(phone_index(CALLER))))
    )
    assert offered["ans"] == {"relationship": "parent", "worker_name": "Siti"}


def test_resume_offer_is_gone_after_30_minutes(dial, services):
    phone = dial()
    phone.press("1", "2", "2", "Siti")
    services.redis.delete(
        store.resume_key(phone_index(CALLER))
    )  # what the TTL does after 30 minutes
    assert dial().reply.startswith("CON Layanan Pengaduan Pekerja Migran\n")


def test_language_is_remembered_per_phone(dial, services):
    dial().press("4", "2")
    assert services.redis.get(store.language_key(phone_index(CALLER))) == b"en"
    assert _ttl(services, store.language_key(phone_index(CALLER))) > 364 * 24 * 3600
    assert dial().reply.startswith("CON Migrant Worker Complaint Service\n")
    assert dial(phone="+6285712345678").reply.startswith("CON Layanan Pengaduan")


def test_ended_session_is_kept_only_briefly(dial, services):
    phone = dial()
    phone.press(*TO_SUMMARY, "1")
    assert phone.reply.startswith("END Laporan terkirim.")
    key = store.session_key("africastalking", phone_index(phone.phone), phone.session_id)
    assert store.END_TTL == 120
    assert 115 <= _ttl(services, key) <= 120
    assert not services.redis.exists(store.resume_key(phone_index(CALLER)))


def test_end_notification_forgets_the_session(dial, services):
    phone = dial()
    phone.press("1")
    assert phone.hang_up("Incomplete") == 200
    assert not services.redis.exists(
        store.session_key("africastalking", phone_index(phone.phone), phone.session_id)
    )


class Counting:
    """Counts Redis round trips (commands, pipelines and a hop link's exchanges) and database
    sessions; every call still goes through to the real Redis and database."""

    def __init__(self, services, monkeypatch):
        self.redis = self.db = 0
        redis, db = services.redis, services.db
        command, pipeline, session = redis.execute_command, redis.pipeline, db.session

        def count_command(*args, **kwargs):
            self.redis += 1
            return command(*args, **kwargs)

        def count_pipeline(*args, **kwargs):
            pipe = pipeline(*args, **kwargs)
            execute = pipe.execute

            def count_execute(*a, **k):
                self.redis += 1
                return execute(*a, **k)

            pipe.execute = count_execute
            return pipe

        def count_session(*args, **kwargs):
            self.db += 1
            return session(*args, **kwargs)

        exchange = Link.exchange

        def count_exchange(link, *commands):
            self.redis += 1
            return exchange(link, *commands)

        send = Link.send

        def count_send(link, *commands):
            self.redis += 1
            return send(link, *commands)

        monkeypatch.setattr(Link, "exchange", count_exchange)
        monkeypatch.setattr(Link, "send", count_send)
        monkeypatch.setattr(redis, "execute_command", count_command)
        monkeypatch.setattr(redis, "pipeline", count_pipeline)
        monkeypatch.setattr(db, "session", count_session)

    def reset(self) -> None:
        self.redis = self.db = 0


def test_a_hop_is_two_redis_round_trips_and_no_database(dial, services, monkeypatch):
    counting = Counting(services, monkeypatch)
    phone = dial()
    assert (counting.redis, counting.db) == (2, 0)
    for typed in TO_SUMMARY:
        counting.reset()
        phone.press(typed)
        assert (counting.redis, counting.db) == (2, 0), typed
    assert phone.reply.startswith("CON Periksa:\n")
    counting.reset()
    phone.retry()
    assert (counting.redis, counting.db) == (1, 0)


def test_organisation_choices_read_the_database(dial, services, monkeypatch):
    phone = dial()
    phone.press(*TO_SUMMARY[:-2])
    counting = Counting(services, monkeypatch)
    phone.press("2")
    assert phone.reply.startswith("CON Pilih lembaga:\n1. SBMI Banyuwangi\n")
    assert counting.db >= 1 and counting.redis == 2


def test_redis_down_gets_a_busy_screen(services, orgs):
    down = Services(services.settings, services.db, connect_redis("redis://127.0.0.1:1/0"))
    client = create_app(services=down).test_client()
    phone = Phone(client)
    assert phone.dial() == BUSY
    assert phone.press("1") == BUSY
    assert phone.hang_up("Incomplete") == 200  # the end is still recorded in the database


def test_database_down_on_submit_offers_to_send_again(dial, services, monkeypatch):
    import gateway.ussd.context as context

    real = context.submit_report
    phone = dial()
    phone.press(*TO_SUMMARY)

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is away"))

    monkeypatch.setattr(context, "submit_report", broken)
    assert phone.press("1") == (
        "CON Maaf, laporan belum terkirim karena gangguan. Coba lagi sebentar lagi.\n"
        "1. Kirim lagi\n2. Lihat ringkasan\n0. Kembali 00. Menu"
    )
    monkeypatch.setattr(context, "submit_report", real)
    assert phone.press("1").startswith("END Laporan terkirim.\nNomor: ")
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Intake)) == 1


def test_database_down_on_status_gets_a_busy_screen(dial, services, monkeypatch):
    phone = dial()

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is away"))

    monkeypatch.setattr(services.db, "session", broken)
    assert phone.press("2") == BUSY
    monkeypatch.undo()
    assert phone.retry().startswith("CON Ketik nomor laporan")  # nothing was stored: try again


def test_lost_session_starts_again_and_offers_the_report(dial, services):
    phone = dial()
    phone.press("1", "2", "2", "Siti")
    services.redis.delete(
        store.session_key("africastalking", phone_index(phone.phone), phone.session_id)
    )
    assert phone.press("1").startswith("CON Ada laporan Anda yang belum selesai. Lanjutkan?\n")
    assert phone.press("1").startswith("CON Jenis kelamin pekerja:\n")


@pytest.mark.parametrize("garbage", [b"not json", b"[]", b'{"phone": 1}', b'{"v": 1}'])
def test_garbage_in_redis_is_a_new_session(dial, services, garbage):
    phone = dial()
    services.redis.set(
        store.session_key("africastalking", phone_index(phone.phone), phone.session_id), garbage
    )
    services.redis.set(store.resume_key(phone_index(CALLER)), garbage)
    assert phone.press("1").startswith("CON Layanan Pengaduan Pekerja Migran\n")
    assert phone.press("1").startswith("CON Siapa yang melapor?\n")
