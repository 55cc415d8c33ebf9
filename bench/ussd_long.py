"""A long USSD run: do throughput, p99 and Redis memory stay flat over 50,000 sessions?

Every session has a fresh session id and caller, walks a whole report to its summary,
cancels it, and is then closed by Africa's Talking's end-of-session notification (which
records the session in the database and deletes it from Redis), as in production. The app
runs under gunicorn with the same settings as bench/ussd_hop.py, against a private
redis-server; the database is PostgreSQL when a server is given, else SQLite.

    .venv/bin/python bench/ussd_long.py [--sessions 50000] [--concurrency 8]
                                        [--database-url postgresql://postgres@127.0.0.1/x]

The run is cut into windows of equal numbers of requests; each window's hops/s, p50 and p99,
and Redis's memory and key count at its end, are printed and written to
bench/results/ussd_long.json, with the drift: the last windows against the first.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import threading
import time
from urllib.parse import urlencode

import loadgen
from common import (
    DATA_KEY,
    ROOT,
    bench_redis,
    cpu_seconds,
    gunicorn,
    gunicorn_args,
    postgres_database,
    redis_info,
    rss_mb,
    sqlite_database,
    workspace,
    write_result,
)
from ussd_hop import ORGS_FILE, TO_SUMMARY, phone, report_session

EVENTS = "/ussd/africastalking/events"
KINDS = ("hop", "end")
HOPS = len(TO_SUMMARY) + 2


def session(number: int) -> list[loadgen.Step]:
    """A whole report, cancelled, then AT's end-of-session notification."""
    session_id = f"ATUid_long{number:09d}"
    steps = report_session(number, "cancelled", session_id=session_id)
    end = {
        "sessionId": session_id,
        "serviceCode": "*123#",
        "phoneNumber": phone(number),
        "networkCode": "99999",
        "status": "Success",
        "hopsCount": str(HOPS),
        "durationInMillis": "61000",
        "date": "2026-01-01 10:00:00",
        "cost": "0.0",
    }
    return [*steps, loadgen.Step(EVENTS, urlencode(end).encode(), b"OK", "end")]


class Sampler(threading.Thread):
    """Every few seconds while the run lasts: Redis's used memory and key count, and the
    CPU seconds and resident memory of gunicorn and its workers."""

    def __init__(self, url: str, app_pid: int, every: float = 2.0):
        super().__init__(daemon=True)
        self.url, self.app_pid, self.every = url, app_pid, every
        self.samples: list[tuple[float, int, int, float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            with contextlib.suppress(Exception):
                info = redis_info(self.url)
                keys = sum(v.get("keys", 0) for k, v in info.items() if k.startswith("db"))
                cpu, rss = cpu_seconds(self.app_pid), rss_mb(self.app_pid)
                self.samples.append((time.perf_counter(), info["used_memory"], keys, cpu, rss))
            self.stop.wait(self.every)

    def at(self, moment: float) -> tuple | None:
        """The last sample taken at or before `moment`."""
        found = [s for s in self.samples if s[0] <= moment]
        return found[-1] if found else None


def windows(result: loadgen.Result, sampler: Sampler, count: int) -> list[dict]:
    """The run in `count` windows of equal numbers of requests, in the order they finished."""
    rows = sorted(zip(result.timeline[0::2], result.timeline[1::2], strict=True))
    size = len(rows) // count
    out = []
    for i in range(count):
        part = rows[i * size : (i + 1) * size]
        began, ended = part[0][0], part[-1][0]
        seconds = sorted(s for _, s in part)
        first, last = sampler.at(began), sampler.at(ended)
        cpu = None
        if first and last and last[0] > first[0]:
            done = sum(1 for t, _ in part if first[0] < t <= last[0])
            cpu = round(1000 * (last[3] - first[3]) / done, 3) if done else None
        out.append(
            {
                "window": i + 1,
                "requests": len(part),
                "per_second": round(len(part) / (ended - began), 1) if ended > began else 0.0,
                "p50_ms": round(1000 * seconds[len(seconds) // 2], 3),
                "p99_ms": round(1000 * seconds[int(0.99 * len(seconds))], 3),
                "server_cpu_ms_per_request": cpu,
                "redis_used_memory_mb": round(last[1] / 2**20, 2) if last else None,
                "redis_keys": last[2] if last else None,
                "app_rss_mb": round(last[4], 1) if last else None,
            }
        )
    return out


def drift(rows: list[dict]) -> dict:
    """The last two windows against the second and third (the first one warms up)."""
    early, late = rows[1:3], rows[-2:]

    def mean(key: str, part: list[dict]) -> float:
        return statistics.fmean(r[key] for r in part)

    keys = ("per_second", "p99_ms", "server_cpu_ms_per_request")
    result = {key: round(mean(key, late) / mean(key, early), 3) for key in keys}
    for key in ("redis_used_memory_mb", "app_rss_mb"):
        seen = [r[key] for r in rows if r[key] is not None]
        result[f"{key}_first_last"] = [seen[0], seen[-1]] if seen else None
        result[f"{key}_max"] = max(seen) if seen else None
    return result


@contextlib.contextmanager
def database(folder, server_url: str | None):
    if server_url:
        with postgres_database(server_url, ORGS_FILE) as url:
            yield url, "PostgreSQL"
    else:
        yield sqlite_database(folder, ORGS_FILE), "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--windows", type=int, default=10)
    parser.add_argument("--redis", default="tcp", help="tcp, unix, or a Redis URL")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="a PostgreSQL server (a database is made and dropped); default TEST_DATABASE_URL,"
        " else SQLite",
    )
    parser.add_argument("--time-limit", type=float, default=3600, help="seconds, at most")
    args = parser.parse_args()
    options = gunicorn_args(args.workers)
    with (
        workspace() as folder,
        bench_redis(folder, args.redis) as (url, redis_what, redis_pid),
        database(folder, args.database_url) as (db_url, db_what),
    ):
        env = {
            "DATABASE_URL": db_url,
            "REDIS_URL": url,
            "SECRET_KEY": "bench-secret",
            "DATA_KEY": DATA_KEY,
            "INSTANCE_PATH": str(folder),
            "SMS_PROVIDER": "simulator",
            "AT_WEBHOOK_TOKEN": "",
        }
        with gunicorn("gateway.app:create_app()", env, options) as app:
            loadgen.run(app, session, 100, args.concurrency, first_session=10**7)  # warm-up
            sampler = Sampler(url, app.pid)
            sampler.start()
            cpu, redis_cpu = cpu_seconds(app.pid), cpu_seconds(redis_pid) if redis_pid else 0
            result = loadgen.run(
                app,
                session,
                args.sessions,
                args.concurrency,
                time_limit=args.time_limit,
                keep_timeline=True,
            )
            cpu = cpu_seconds(app.pid) - cpu
            redis_cpu = (cpu_seconds(redis_pid) - redis_cpu) if redis_pid else 0
            time.sleep(3)
            sampler.stop.set()
            sampler.join()
            final = redis_info(url)
    if result.errors:
        raise SystemExit(f"{result.errors} unexpected replies; first: {result.first_error}")
    rows = windows(result, sampler, args.windows)
    moved = drift(rows)
    hops = len(result.latencies.get("hop", []))
    print(
        f"{result.sessions} sessions, {result.requests} requests ({hops} hops) in"
        f" {result.seconds:.0f} s: {result.per_second:.0f} req/s; Redis: {redis_what};"
        f" database: {db_what}"
    )
    print(
        f"{'window':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>8}"
        f" {'Redis MB':>9} {'keys':>6} {'app MB':>8}"
    )
    for r in rows:
        print(
            f"{r['window']:>6} {r['per_second']:>8.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
            f" {r['server_cpu_ms_per_request'] or '':>8} {r['redis_used_memory_mb']:>9}"
            f" {r['redis_keys']:>6} {r['app_rss_mb']:>8}"
        )
    print(
        f"last two windows / windows 2-3: throughput x{moved['per_second']},"
        f" p99 x{moved['p99_ms']}, server CPU per request x{moved['server_cpu_ms_per_request']};"
        f" Redis memory {moved['redis_used_memory_mb_first_last']} MB"
        f" (max {moved['redis_used_memory_mb_max']}); gunicorn memory"
        f" {moved['app_rss_mb_first_last']} MB; {final.get('db0', {}).get('keys', 0)} keys"
        " left after the run"
    )
    path = write_result(
        "ussd_long",
        {
            "command": f"bench/ussd_long.py --sessions {args.sessions} --concurrency"
            f" {args.concurrency} --workers {args.workers} --redis {args.redis}",
            "sessions": result.sessions,
            "requests": result.requests,
            "seconds": round(result.seconds, 1),
            "per_second": round(result.per_second, 1),
            "server_cpu_ms_per_request": round(1000 * cpu / result.requests, 3),
            "redis_cpu_ms_per_request": round(1000 * redis_cpu / result.requests, 3),
            "redis": redis_what,
            "database": db_what,
            "windows": rows,
            "drift": moved,
            "redis_keys_after": final.get("db0", {}).get("keys", 0),
            "redis_memory_mb_after": round(final["used_memory"] / 2**20, 2),
        },
        options,
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
