"""A small closed-loop load generator for loopback benchmarks.

`run(port, script, sessions, concurrency)` starts `concurrency` client processes; each keeps
one HTTP/1.1 connection (kept alive when the server allows it, opened again when the server
closes it, as gunicorn's sync workers do after every reply) and walks its share of the
sessions one request at a time. Every session is a list of `Step`s built by `script(number)`.
The run is bounded: a fixed number of sessions, and a time limit after which clients stop
at the end of their current session.

Latency is client time per request (connecting included when the connection is new); the
throughput is all requests over the time from the first client's start to the last one's end.
"""

from __future__ import annotations

import multiprocessing
import socket
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

CRLF2 = b"\r\n\r\n"


@dataclass(frozen=True)
class Step:
    """One request of a session and the start of the reply body it must get."""

    path: str
    body: bytes
    expect: bytes
    kind: str = "hop"
    content_type: str = "application/x-www-form-urlencoded"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


Script = Callable[[int], list[Step]]


class HttpError(RuntimeError):
    pass


class Connection:
    """A minimal blocking HTTP/1.1 client for one server on loopback (little CPU per request,
    so that the client disturbs the measured server as little as possible)."""

    def __init__(self, port: int, timeout: float = 30.0):
        self.port = int(port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.opened = 0

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def _connect(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        self.opened += 1

    def request(self, step: Step) -> tuple[int, bytes]:
        extra = "".join(f"{name}: {value}\r\n" for name, value in step.headers)
        head = (
            f"POST {step.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}"
            f"Content-Type: {step.content_type}\r\nContent-Length: {len(step.body)}\r\n\r\n"
        ).encode()
        reused = self.sock is not None
        try:
            return self._exchange(head + step.body)
        except (ConnectionError, HttpError):
            self.close()
            if not reused:
                raise
        # the server closed an idle kept-alive connection before reading: send it again
        return self._exchange(head + step.body)

    def _exchange(self, payload: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self._connect()
        assert self.sock is not None
        self.sock.sendall(payload)
        while CRLF2 not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(CRLF2)
        lines = head.decode("latin-1").split("\r\n")
        version, status = lines[0].split(" ", 2)[:2]
        length, close = None, version == "HTTP/1.0"
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection":
                close = value.strip().lower() == "close"
        if length is None:
            raise HttpError("reply without Content-Length")
        while len(rest) < length:
            rest += self._recv()
        body, self.buffer = rest[:length], rest[length:]
        if close:
            self.close()
        return int(status), body

    def _recv(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise HttpError("connection closed by the server")
        return chunk

    def _fill(self) -> None:
        self.buffer += self._recv()


@dataclass
class Result:
    """What one run measured."""

    requests: int
    sessions: int
    seconds: float
    errors: int
    first_error: str | None
    latencies: dict[str, array] = field(default_factory=dict)
    """Seconds per request, by step kind."""
    timeline: array = field(default_factory=lambda: array("d"))
    """(finished at, seconds) pairs, flattened, for every request: for drift over a run."""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def all_latencies(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]


def _client(
    port: int,
    script: Script,
    numbers: range,
    ready,
    go,
    results,
    time_limit: float,
    keep_timeline: bool,
) -> None:
    conn = Connection(port)
    latencies: dict[str, array] = {}
    timeline = array("d")
    errors, first_error, done, requests = 0, None, 0, 0
    ready.wait()
    go.wait()
    began = time.perf_counter()
    deadline = began + time_limit
    try:
        for number in numbers:
            for step in script(number):
                start = time.perf_counter()
                try:
                    status, body = conn.request(step)
                except (OSError, HttpError) as exc:
                    status, body = 0, repr(exc).encode()
                    conn.close()
                finished = time.perf_counter()
                requests += 1
                latencies.setdefault(step.kind, array("d")).append(finished - start)
                if keep_timeline:
                    timeline.extend((finished, finished - start))
                if status != step.status or not body.startswith(step.expect):
                    errors += 1
                    if first_error is None:
                        first_error = f"{step.kind} {status} {body[:120]!r} for {step.body[:200]!r}"
            done += 1
            if finished > deadline:
                break
    finally:
        conn.close()
        ended = time.perf_counter()
        results.put((began, ended, requests, done, errors, first_error, latencies, timeline))


def run(
    port: int,
    script: Script,
    sessions: int,
    concurrency: int,
    time_limit: float = 600.0,
    keep_timeline: bool = False,
    first_session: int = 0,
) -> Result:
    """Walk `sessions` sessions with `concurrency` client processes; see the module docstring."""
    ctx = multiprocessing.get_context("fork")
    ready, go = ctx.Barrier(concurrency + 1), ctx.Event()
    results = ctx.Queue()
    share = [
        range(first_session + i, first_session + sessions, concurrency) for i in range(concurrency)
    ]
    procs = [
        ctx.Process(
            target=_client,
            args=(port, script, numbers, ready, go, results, time_limit, keep_timeline),
            daemon=True,
        )
        for numbers in share
    ]
    for proc in procs:
        proc.start()
    ready.wait()
    go.set()
    collected = [results.get(timeout=time_limit + 120) for _ in procs]
    for proc in procs:
        proc.join(10)
    began = min(c[0] for c in collected)
    ended = max(c[1] for c in collected)
    latencies: dict[str, array] = {}
    timeline = array("d")
    for c in collected:
        for kind, values in c[6].items():
            latencies.setdefault(kind, array("d")).extend(values)
        timeline.extend(c[7])
    return Result(
        requests=sum(c[2] for c in collected),
        sessions=sum(c[3] for c in collected),
        seconds=ended - began,
        errors=sum(c[4] for c in collected),
        first_error=next((c[5] for c in collected if c[5]), None),
        latencies=latencies,
        timeline=timeline,
    )
