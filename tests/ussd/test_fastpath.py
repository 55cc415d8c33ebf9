"""The USSD hop's fast path (`gateway.ussd.fastpath`) reads a form exactly as Flask's
`request.form` does, and its Redis connections (`gateway.ussd.link`) survive a Redis restart
and never carry a half-read reply into the next hop."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.wrappers import Request

from gateway.app import create_app
from gateway.services import Services, connect_redis
from gateway.ussd import link, store
from gateway.ussd.fastpath import HopRoutes
from tests.conftest import phone_index
from tests.faults.own_redis import OwnRedis

URL = "/ussd/africastalking"
BUSY = "END Maaf, layanan sedang sibuk."
LIMIT = 65536


def _environ(body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": URL,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }


class _App:
    config = {"MAX_CONTENT_LENGTH": LIMIT}
    wsgi_app = None
    extensions: dict = {}


PIECES = st.sampled_from(["&", "=", "%", "%2A", "%2B", "%E9", "%ZZ", "+", "*", ";", "text"])
BODIES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
    st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=6).map(
        lambda form: urlencode(form).encode()
    ),
)


@settings(max_examples=400, deadline=None)
@given(body=BODIES)
def test_the_fast_path_reads_a_form_as_flask_does(body):
    try:
        expected = Request(_environ(body)).form.to_dict(flat=True)  # the first value of each
    except UnicodeEncodeError:
        return
    assert HopRoutes(_App())._form(_environ(body), len(body)) == expected


def test_a_body_over_the_limit_is_not_read():
    class Unreadable(io.RawIOBase):
        def read(self, size=-1):
            raise AssertionError("read")

    environ = {**_environ(b""), "CONTENT_LENGTH": str(LIMIT + 1), "wsgi.input": Unreadable()}
    assert HopRoutes(_App())._form(environ, LIMIT + 1) is None


def _form(session_id: str, text: str) -> dict[str, str]:
    return {
        "sessionId": session_id,
        "serviceCode": "*123#",
        "phoneNumber": "+6281234567890",
        "networkCode": "99999",
        "text": text,
    }


@pytest.fixture
def own(services, orgs, tmp_path):
    """A client of an app on a Redis of the test's own, which it may restart."""
    server = OwnRedis(tmp_path).start()
    svc = Services(services.settings, services.db, connect_redis(server.url))
    yield server, svc, create_app(services=svc).test_client()
    server.stop()
    svc.redis.connection_pool.disconnect()


def test_hops_go_on_after_a_redis_restart_without_a_busy_screen(own):
    server, _svc, client = own
    for text in ("", "1", "1*2"):  # the hop's connection is made, then kept idle
        assert client.post(URL, data=_form("ATUid_restart", text)).text.startswith("CON ")
    server.stop()
    server.start()  # empty: the session is gone, and the kept connection is dead
    reply = client.post(URL, data=_form("ATUid_restart", "1*2*2")).text
    assert reply.startswith("CON ") and not reply.startswith(BUSY)  # started again
    server.stop()
    assert client.post(URL, data=_form("ATUid_down", "")).text.startswith(BUSY)
    server.start()
    assert client.post(URL, data=_form("ATUid_up", "")).text.startswith("CON ")


def test_a_failed_round_trip_does_not_leave_its_reply_for_the_next_hop(own):
    _server, svc, client = own
    key = store.session_key("africastalking", phone_index("+6281234567890"), "ATUid_wrongtype")
    assert client.post(URL, data=_form("ATUid_wrongtype", "")).text.startswith("CON ")
    svc.redis.delete(key)
    svc.redis.hset(key, "x", "1")  # GET on a hash is an error reply
    assert client.post(URL, data=_form("ATUid_wrongtype", "1")).text.startswith(BUSY)
    svc.redis.delete(key)
    for n in range(5):  # every later hop reads its own replies, on whichever connection
        reply = client.post(URL, data=_form(f"ATUid_clean_{n}", "")).text
        assert reply.startswith("CON Layanan Pengaduan"), reply
    idle = link._lenders[svc.redis.connection_pool].idle
    assert idle and all(conn.is_connected for conn, _unread in idle)


def test_hops_are_counted_in_the_request_metrics(client, orgs):
    for text in ("", "1"):
        client.post(URL, data=_form("ATUid_metrics", text))
    scrape = client.get("/metrics").text
    labels = 'endpoint="africastalking_ussd.ussd_hop",method="POST",status="200"'
    assert f"pengaduan_http_requests_total{{{labels}}} 2.0" in scrape


def test_a_refused_session_write_is_found_and_the_next_hop_goes_on(own, caplog):
    """The session write is not waited for: a write Redis refuses is logged on the
    connection's next use, and that hop is answered from a clean connection."""
    server, svc, client = own
    assert client.post(URL, data=_form("ATUid_refused", "")).text.startswith("CON ")
    svc.redis.config_set("maxmemory", "1")  # every write is refused: OOM
    try:
        second = client.post(URL, data=_form("ATUid_refused", "1")).text
    finally:
        svc.redis.config_set("maxmemory", "0")
    assert second.startswith("CON ")  # the screen was shown; its write was refused
    third = client.post(URL, data=_form("ATUid_refused", "1*1")).text
    assert "write was refused" in caplog.text
    assert third.startswith("CON ") and not third.startswith(BUSY)
    idle = link._lenders[svc.redis.connection_pool].idle
    assert idle and all(conn.is_connected for conn, _unread in idle)
