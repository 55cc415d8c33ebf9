"""One Redis connection lent to a USSD hop for its read and its write.

A hop sends its commands straight to a connection (packed by hiredis; redis-py's
`send_packed_command`, `read_response`) instead of through `Redis.get` and a pipeline. Those
check a connection out of the client's pool and back for each call: a lock, a fork check,
a liveness probe of three system calls and metrics hooks, which on this path cost more than
the round trip itself (docs/performance.md). Here each process keeps the hop connections of
a client in a plain list: borrowing one is a `list.pop()`.

The connections are made by the client's pool (same address, timeouts, health checks), so a
connection idle longer than the health-check interval is pinged (and reconnected) before use.
One that went dead while idle (a Redis restart) fails on its first round trip: that round trip
is tried once more on a new connection.

A hop's last round trip (storing the session) is only sent (`send`): its replies are read when
the connection is next used, by then already waiting in the socket, so the hop neither waits
for them nor sleeps and wakes again for them. The write is in Redis before the reply leaves
(the next hop, on any process, finds it); a write Redis refused (out of memory) or lost with
the connection is logged when found, and the next hop behaves as after a Redis restart: the
report is offered again. Reports themselves are never only in Redis: sending one writes the
database first, with its reply.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import hiredis
from redis import Redis
from redis.connection import AbstractConnection, ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError

log = logging.getLogger(__name__)

IDLE_MAX = 64
"""Connections a process keeps per client; more are closed when given back."""


class Link:
    """A connection lent to one hop: each `exchange` is one round trip; `send` writes without
    waiting for the replies."""

    def __init__(self, connection: AbstractConnection, reused: bool, unread: int = 0):
        self.connection = connection
        self.reused = reused
        self.unread = unread
        """Replies of an earlier `send` not read yet."""

    def exchange(self, *commands: tuple) -> list:
        """Send the commands in one write and read their replies; an error reply raises."""
        conn = self.connection
        packed = _pack(commands)
        while True:
            try:
                self._drain()
                conn.send_packed_command(packed)
                return [conn.read_response() for _ in commands]
            except RedisConnectionError:
                conn.disconnect()
                self.unread = 0
                if not self.reused:
                    raise
                self.reused = False  # it died while idle: once more, on a new connection
            except BaseException:  # replies may be left unread: never reuse it as it is
                conn.disconnect()
                self.unread = 0
                raise

    def send(self, *commands: tuple) -> None:
        """Send the commands in one write; their replies are read on the next use."""
        conn = self.connection
        try:
            self._drain()
            conn.send_packed_command(_pack(commands))
        except BaseException:
            conn.disconnect()
            self.unread = 0
            raise
        self.unread = len(commands)

    def _drain(self) -> None:
        """Read the replies of the last `send`: an error among them is logged."""
        while self.unread:
            self.unread -= 1
            try:
                self.connection.read_response()
            except ResponseError as exc:
                log.warning("a USSD session write was refused by Redis: %s", exc)
            except RedisError as exc:
                log.warning("a USSD session write may be lost with its connection: %s", exc)
                self.unread = 0
                raise


def _pack(commands: tuple[tuple, ...]) -> list[bytes]:
    """The commands in Redis's protocol, packed by hiredis (redis-py's `pack_commands` does
    the same with type checks and buffering a hop's few short commands do not need)."""
    return [b"".join([hiredis.pack_command(command) for command in commands])]


class Lender:
    """The hop connections of one client in this process."""

    def __init__(self, pool: ConnectionPool):
        self.pool = pool
        self.idle: list[tuple[AbstractConnection, int]] = []
        """Idle connections, each with the number of replies still to read on it."""

    @contextmanager
    def lend(self) -> Iterator[Link]:
        try:
            connection, unread = self.idle.pop()
            link = Link(connection, reused=True, unread=unread)
        except IndexError:
            link = Link(self.pool.make_connection(), reused=False)
        try:
            yield link
        finally:
            if len(self.idle) < IDLE_MAX:
                self.idle.append((link.connection, link.unread))
            else:
                link.connection.disconnect()


_lenders: weakref.WeakKeyDictionary[ConnectionPool, Lender] = weakref.WeakKeyDictionary()


def lend(redis: Redis) -> Iterator[Link]:
    """`with lend(redis) as link:` a connection of this client for one hop."""
    pool = redis.connection_pool
    lender = _lenders.get(pool)
    if lender is None:
        lender = _lenders[pool] = Lender(pool)
    return lender.lend()


def _forget_after_fork() -> None:
    """A forked child must not share its parent's sockets: it makes its own."""
    for lender in list(_lenders.values()):
        lender.idle = []


os.register_at_fork(after_in_child=_forget_after_fork)
