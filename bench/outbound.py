"""Outbound SMS: messages per second through the outbox to a local fake of Africa's Talking's
SMS API (the real SDK calls it), and the same with the fake failing 20% of requests.

Messages are queued in the outbox (one row each, as the case pipeline queues them) and their
jobs enqueued; then `pengaduan worker` processes send them. A failed send is a row waiting for
its retry (30 s later in production): once the first pass is over, the benchmark moves those
retries to now, and the workers' sweeper sends them, until every message is sent. The fake
writes down every message it accepts: none may be there twice.

    .venv/bin/python bench/outbound.py [--messages 2000] [--workers 2]
                                       [--database-url postgresql://postgres@127.0.0.1/x]

The database is PostgreSQL when a server is given (default: TEST_DATABASE_URL), else SQLite.
Prints a table and writes bench/results/outbound.json.
"""

from __future__ import annotations

import argparse
import collections
import os
import time
from pathlib import Path

from common import (
    DATA_KEY,
    ROOT,
    bench_redis,
    data_keys,
    gunicorn,
    gunicorn_args,
    start_workers,
    stop_workers,
    workspace,
    write_result,
)
from fake_provider import API_KEY, USERNAME
from ussd_long import database

FAILURE_RATES = {"no failures": 0, "20% failing": 5}
"""Name -> the fake fails every n-th request of each of its workers (0: never)."""


def queue_messages(db_url: str, redis_url: str, count: int, tag: str) -> None:
    """`count` messages queued in the outbox, then their jobs enqueued."""
    from casebridge import outbox
    from casebridge.db import Database
    from gateway.services import connect_redis
    from workers import queues

    db, redis = Database(db_url, data_keys()), connect_redis(redis_url)
    ids = []
    with db.session() as session:
        for i in range(count):
            body = f"No 4821-7739: diterima oleh lembaga. {tag} {i}"
            message = outbox.queue(session, f"+62812{i:07d}", body, "bench", "africastalking")
            ids.append(message.id)
    for message_id in ids:
        queues.enqueue(redis, queues.SEND_SMS, message_id)
    db.dispose()
    redis.close()


def states(db, tag: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from casebridge.models import Message

    with db.session() as session:
        rows = session.execute(
            select(Message.status, func.count(), func.sum(Message.attempts))
            .where(Message.body.like(f"% {tag} %"))
            .group_by(Message.status)
        ).all()
    out = {status: count for status, count, _ in rows}
    out["attempts"] = sum(attempts or 0 for _, _, attempts in rows)
    return out


def retry_now(db, tag: str) -> None:
    """Skip the retry delay of the messages waiting for one (what the clock would do)."""
    from sqlalchemy import update

    from casebridge.models import Message, utcnow

    with db.session() as session:
        session.execute(
            update(Message)
            .where(Message.body.like(f"% {tag} %"), Message.status == "retrying")
            .values(next_attempt_at=utcnow())
        )


def run(env, db_url, folder, messages: int, workers: int, tag: str, log: Path) -> dict:
    from casebridge.db import Database

    queue_messages(db_url, env["REDIS_URL"], messages, tag)
    db = Database(db_url, data_keys())
    procs = start_workers(env, workers, folder)
    began = time.perf_counter()
    first_pass = None
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            now = states(db, tag)
            settled = now.get("sent", 0) + now.get("retrying", 0) + now.get("failed", 0)
            if first_pass is None and settled >= messages:
                first_pass = (time.perf_counter() - began, now)
            if now.get("sent", 0) >= messages:
                break
            if first_pass is not None and now.get("retrying"):
                retry_now(db, tag)
            time.sleep(0.1)
        done = time.perf_counter() - began
        final = states(db, tag)
    finally:
        stop_workers(procs)
        db.dispose()
    if first_pass is None or final.get("sent", 0) < messages:
        raise SystemExit(f"not every message was sent: {final}")
    accepted = collections.Counter(
        line for line in log.read_text(encoding="utf-8").splitlines() if f" {tag} " in line
    )
    doubled = sum(1 for n in accepted.values() if n > 1)
    seconds, after_first = first_pass
    return {
        "messages": messages,
        "workers": workers,
        "first_pass_seconds": round(seconds, 2),
        "first_pass_per_second": round(messages / seconds, 1),
        "sent_on_first_pass": after_first.get("sent", 0),
        "retrying_after_first_pass": after_first.get("retrying", 0),
        "all_sent_seconds": round(done, 2),
        "attempts": final["attempts"],
        "accepted_by_fake": sum(accepted.values()),
        "sent_twice": doubled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--fake-workers", type=int, default=2, help="gunicorn workers of the fake")
    parser.add_argument("--redis", default="tcp", help="tcp, unix, or a Redis URL")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    results = {}
    with (
        workspace() as folder,
        bench_redis(folder, args.redis) as (url, redis_what, _),
        database(folder, args.database_url) as (db_url, db_what),
    ):
        log = folder / "accepted.log"
        log.touch()
        for name, fail_every in FAILURE_RATES.items():
            fake_env = {"FAIL_EVERY": str(fail_every), "ACCEPTED_LOG": str(log)}
            with gunicorn(
                "fake_provider:at_app()", fake_env, gunicorn_args(args.fake_workers)
            ) as fake:
                env = {
                    **os.environ,
                    "DATABASE_URL": db_url,
                    "REDIS_URL": url,
                    "SECRET_KEY": "bench-secret",
                    "DATA_KEY": DATA_KEY,
                    "INSTANCE_PATH": str(folder),
                    "SMS_PROVIDER": "africastalking",
                    "AT_USERNAME": USERNAME,
                    "AT_API_KEY": API_KEY,
                    "AT_API_URL": f"http://127.0.0.1:{fake}/version1",
                }
                tag = f"bench{fail_every}"
                results[name] = run(env, db_url, folder, args.messages, args.workers, tag, log)
                print(f"{name}: {results[name]}")
    print(f"\nRedis: {redis_what}; database: {db_what}; {args.workers} worker processes")
    print(f"{'':14} {'first pass /s':>13} {'sent 1st':>8} {'retrying':>8} {'all sent s':>10}")
    for name, r in results.items():
        print(
            f"{name:14} {r['first_pass_per_second']:>13} {r['sent_on_first_pass']:>8}"
            f" {r['retrying_after_first_pass']:>8} {r['all_sent_seconds']:>10}"
            f"   sent twice: {r['sent_twice']}"
        )
    path = write_result(
        "outbound",
        {
            "command": f"bench/outbound.py --messages {args.messages} --workers {args.workers}",
            "redis": redis_what,
            "database": db_what,
            "results": results,
        },
        gunicorn_args(args.fake_workers),
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
