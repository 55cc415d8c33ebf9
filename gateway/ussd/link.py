"""One Redis connection lent to a USSD hop for its two round trips.

A hop sends its commands straight to a connection (redis-py's `pack_commands`,
`send_packed_command`, `read_response`) instead of through `Redis.get` and a pipeline. Those
check a connection out of the client's pool and back for each call: a lock, a fork check,
a liveness probe of three system calls and metrics hooks, which on this path cost more than
the round trip itself (docs/performance.md). Here each process keeps the hop connections of
a client in a plain list: borrowing one is a `list.pop()`.

The connections are made by the client's pool (same address, timeouts, health checks), so a
connection idle longer than the health-check interval is pinged (and reconnected) before use.
One that went dead while idle (a Redis restart) fails on its first round trip: that round trip
is tried once more on a new connection.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis
from redis.connection import AbstractConnection, ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError

IDLE_MAX = 64
"""Connections a process keeps per client; more are closed when given back."""


class Link:
    """A connection lent to one hop: each `exchange` is one round trip."""

    def __init__(self, connection: AbstractConnection, reused: bool):
        self.connection = connection
        self.reused = reused

    def exchange(self, *commands: tuple) -> list:
        """Send the commands in one write and read their replies; an error reply raises."""
        conn = self.connection
        packed = conn.pack_commands(commands)
        while True:
            try:
                conn.send_packed_command(packed)
                return [conn.read_response() for _ in commands]
            except RedisConnectionError:
                conn.disconnect()
                if not self.reused:
                    raise
                self.reused = False  # it died while idle: once more, on a new connection
            except BaseException:  # replies may be left unread: never reuse it as it is
                conn.disconnect()
                raise


class Lender:
    """The hop connections of one client in this process."""

    def __init__(self, pool: ConnectionPool):
        self.pool = pool
        self.idle: list[AbstractConnection] = []

    @contextmanager
    def lend(self) -> Iterator[Link]:
        try:
            link = Link(self.idle.pop(), reused=True)
        except IndexError:
            link = Link(self.pool.make_connection(), reused=False)
        try:
            yield link
        finally:
            if len(self.idle) < IDLE_MAX:
                self.idle.append(link.connection)
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
