"""Inbound SMS: how fast webhooks are acknowledged, and how fast reports become cases.

1. Acknowledgement: reporters send a whole report by SMS, one message after another (six
   messages each: "LAPOR …", then the answers), half through Africa's Talking's webhook (with
   its token), half through Twilio's (signed), at concurrency 1 and 8, against the app under
   gunicorn. Each webhook stores the message and enqueues its job: latency and messages/s.
   No worker runs meanwhile.
2. Reports to cases: then `pengaduan worker --burst` processes start, and we time until every
   report is a routed case with its confirmation queued (and until the queues are empty), with
   1 and with 2 worker processes. Replies go to local fakes of the two providers' APIs.
3. Intake to case alone: reports written straight as intakes, then the workers: cases per
   second per worker process.

    .venv/bin/python bench/sms_inbound.py [--reporters 200] [--intakes 1000]
                                          [--database-url postgresql://postgres@127.0.0.1/x]

The database is PostgreSQL when a server is given (default: TEST_DATABASE_URL), else SQLite.
Prints tables and writes bench/results/sms_inbound.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import loadgen
from common import (
    DATA_KEY,
    ROOT,
    bench_redis,
    cpu_seconds,
    data_keys,
    gunicorn,
    gunicorn_args,
    start_workers,
    stop_workers,
    summary,
    workspace,
    write_result,
)
from twilio.request_validator import RequestValidator
from ussd_long import database

sys.path.insert(0, str(ROOT / "tests"))
from fakes.africastalking import FakeAfricasTalking  # noqa: E402
from fakes.twilio import FakeTwilio  # noqa: E402

AT_USER, AT_KEY, AT_TOKEN = "bench", "bench-at-key", "bench-at-token"
TW_SID, TW_TOKEN, TW_FROM = "AC" + "b" * 32, "bench-twilio-token", "+85258001234"
PUBLIC = "https://gw.example.org"
DIALOGUE = [
    "LAPOR gaji 4 bulan belum dibayar di Malaysia",
    "kakak",
    "Wati",
    "perempuan",
    "Banyuwangi",
    "ya",
]
"""A report by SMS: country and problem in the first message, then the five questions."""


def reporter_phone(number: int) -> str:
    return f"+6012{(1_000_000 + number) % 10**7:07d}"


def at_step(number: int, index: int, text: str) -> loadgen.Step:
    form = {
        "from": reporter_phone(number),
        "to": "20880",
        "text": text,
        "id": f"ATXid_bench_{number}_{index}",
        "date": "2026-11-23 10:00:00",
        "linkId": "",
        "networkCode": "99999",
    }
    path = f"/sms/africastalking?{urlencode({'token': AT_TOKEN})}"
    return loadgen.Step(path, urlencode(form).encode(), b"", "africastalking")


VALIDATOR = RequestValidator(TW_TOKEN)


def twilio_step(number: int, index: int, text: str) -> loadgen.Step:
    params = {
        "MessageSid": f"SMbench{number:08d}{index:02d}",
        "AccountSid": TW_SID,
        "From": reporter_phone(number),
        "To": TW_FROM,
        "Body": text,
        "NumMedia": "0",
        "NumSegments": "1",
        "ApiVersion": "2010-04-01",
    }
    signature = VALIDATOR.compute_signature(PUBLIC + "/sms/twilio", params)
    return loadgen.Step(
        "/sms/twilio",
        urlencode(params).encode(),
        b"<?xml",
        "twilio",
        headers=(("X-Twilio-Signature", signature),),
    )


def reporter(number: int) -> list[loadgen.Step]:
    """One reporter's whole report, through AT (even numbers) or Twilio (odd)."""
    step = at_step if number % 2 == 0 else twilio_step
    return [step(number, i, text) for i, text in enumerate(DIALOGUE)]


def acknowledge(port, first: int, reporters: int, concurrency: int) -> dict:
    cpu = cpu_seconds(port.pid)
    result = loadgen.run(port, reporter, reporters, concurrency, first_session=first)
    cpu = cpu_seconds(port.pid) - cpu
    if result.errors:
        raise SystemExit(f"{result.errors} unexpected replies; first: {result.first_error}")
    return {
        "messages": result.requests,
        "seconds": round(result.seconds, 2),
        "per_second": round(result.per_second, 1),
        "server_cpu_ms_per_message": round(1000 * cpu / result.requests, 3),
        "all": summary(result.all_latencies()),
        **{kind: summary(values) for kind, values in result.latencies.items()},
    }


def done_reports(db, first: int, count: int) -> int:
    """Reports of these reporters that are routed cases with their confirmation queued."""
    keys = db.keys
    from sqlalchemy import func, select

    from casebridge.models import Case, Message, Reporter

    phones = [keys.index(reporter_phone(n)) for n in range(first, first + count)]
    with db.session() as session:
        return session.scalar(
            select(func.count(func.distinct(Case.id)))
            .join(Reporter, Case.reporter_id == Reporter.id)
            .join(Message, (Message.case_id == Case.id) & (Message.purpose == "confirmation"))
            .where(Reporter.phone_index.in_(phones), Case.status == "assigned")
        )


def done_cases(db, keys_prefix: str) -> int:
    from sqlalchemy import func, select

    from casebridge.models import Case, Intake, Message

    with db.session() as session:
        return session.scalar(
            select(func.count(func.distinct(Case.id)))
            .join(Intake, Case.intake_id == Intake.id)
            .join(Message, (Message.case_id == Case.id) & (Message.purpose == "confirmation"))
            .where(Intake.idempotency_key.like(f"{keys_prefix}%"))
        )


def _queued(redis) -> int:
    """Jobs waiting or running on any queue."""
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from workers import queues

    total = 0
    for name in queues.ALL:
        queue = Queue(name, connection=redis)
        total += queue.count + StartedJobRegistry(name, connection=redis).count
    return total


def run_workers(env: dict, workers: int, finished, expected: int, folder: Path) -> dict:
    """Start `workers` worker processes; from the moment the first one is ready, time until
    `finished()` reaches `expected`, and until the queues are empty. Then stop them."""
    from redis import Redis

    procs = start_workers(env, workers, folder)
    redis = Redis.from_url(env["REDIS_URL"])
    try:
        began = time.perf_counter()  # the first worker is taking jobs
        reached = None
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if reached is None and finished() >= expected:
                reached = time.perf_counter() - began
            if reached is not None and _queued(redis) == 0:
                break
            time.sleep(0.05)
        drained = time.perf_counter() - began
    finally:
        stop_workers(procs)
        redis.close()
    if reached is None:
        raise SystemExit(f"only {finished()} of {expected} done after {drained:.0f} s")
    return {
        "workers": workers,
        "done": expected,
        "seconds_to_all_cases": round(reached, 2),
        "seconds_to_empty_queues": round(drained, 2),
        "cases_per_second": round(expected / reached, 1),
        "cases_per_second_per_worker": round(expected / reached / workers, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reporters", type=int, default=200, help="per concurrency level")
    parser.add_argument("--intakes", type=int, default=1000, help="per worker count")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--workers", default="1,2", help="worker processes, one run each")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--redis", default="tcp", help="tcp, unix, or a Redis URL")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    options = gunicorn_args(args.gunicorn_workers)
    levels = [int(c) for c in args.concurrency.split(",")]
    counts = [int(w) for w in args.workers.split(",")]
    if len(levels) != len(counts):
        raise SystemExit("give as many --workers counts as --concurrency levels")
    fake_at = FakeAfricasTalking(AT_USER, AT_KEY).start()
    fake_twilio = FakeTwilio(TW_SID, TW_TOKEN).start()
    acks, pipeline, intake_runs = {}, {}, {}
    with (
        workspace() as folder,
        bench_redis(folder, args.redis) as (url, redis_what, _),
        database(folder, args.database_url) as (db_url, db_what),
    ):
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": url,
            "SECRET_KEY": "bench-secret",
            "DATA_KEY": DATA_KEY,
            "INSTANCE_PATH": str(folder),
            "SMS_PROVIDER": "africastalking",
            "PUBLIC_BASE_URL": PUBLIC,
            "AT_USERNAME": AT_USER,
            "AT_API_KEY": AT_KEY,
            "AT_API_URL": fake_at.api_url,
            "AT_WEBHOOK_TOKEN": AT_TOKEN,
            "TWILIO_ACCOUNT_SID": TW_SID,
            "TWILIO_AUTH_TOKEN": TW_TOKEN,
            "TWILIO_FROM": TW_FROM,
            "TWILIO_API_URL": fake_twilio.url,
        }
        for name in ("TWILIO_REGION", "TWILIO_EDGE"):
            env.pop(name, None)
        from casebridge.db import Database

        db = Database(db_url, data_keys())
        first = 0
        with gunicorn("gateway.app:create_app()", env, options) as app:
            warm = 10**6  # every gunicorn worker loads what webhooks need before we measure
            acknowledge(app, warm, 4 * args.gunicorn_workers, args.gunicorn_workers)
            pipeline["warm-up"] = run_workers(
                env, 1, lambda: done_reports(db, warm, 4 * args.gunicorn_workers), 0, folder
            )
            del pipeline["warm-up"]
            for level, workers in zip(levels, counts, strict=True):
                acks[f"c={level}"] = acknowledge(app, first, args.reporters, level)
                print(f"acknowledged at c={level}: {_ack_line(acks[f'c={level}'])}")

                def finished(first=first):
                    return done_reports(db, first, args.reporters)

                pipeline[f"{workers} worker(s)"] = run_workers(
                    env, workers, finished, args.reporters, folder
                )
                print(f"SMS reports to cases: {pipeline[f'{workers} worker(s)']}")
                first += args.reporters
        for workers in counts:
            prefix = f"bench-intake-{workers}-"
            _write_intakes(db_url, url, prefix, args.intakes)
            intake_runs[f"{workers} worker(s)"] = run_workers(
                env, workers, lambda prefix=prefix: done_cases(db, prefix), args.intakes, folder
            )
            print(f"intakes to cases: {intake_runs[f'{workers} worker(s)']}")
        db.dispose()
    fake_at.stop()
    fake_twilio.stop()
    _print(acks, pipeline, intake_runs, redis_what, db_what, options)
    path = write_result(
        "sms_inbound",
        {
            "command": f"bench/sms_inbound.py --reporters {args.reporters} --intakes"
            f" {args.intakes} --concurrency {args.concurrency} --workers {args.workers}",
            "messages_per_report": len(DIALOGUE),
            "redis": redis_what,
            "database": db_what,
            "acknowledgement": acks,
            "sms_reports_to_cases": pipeline,
            "intakes_to_cases": intake_runs,
        },
        options,
    )
    print(f"written to {path.relative_to(ROOT)}")


def _write_intakes(db_url: str, redis_url: str, prefix: str, count: int) -> None:
    """`count` reports filed as a desk would, each intake stored then enqueued."""
    from casebridge.reports import Report
    from casebridge.settings import Settings
    from gateway.services import Services
    from gateway.submit import submit_report

    env = {
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench-secret",
        "DATA_KEY": DATA_KEY,
    }
    services = Services.build(Settings.load(env=env))
    try:
        for i in range(count):
            report = Report(
                reporter_phone=f"+62812{i % 10**7:07d}",
                category="unpaid_wages",
                country="MY",
                province="ID-JI",
                regency="Banyuwangi",
                channel="desk",
                sms_safe=True,
            )
            submit_report(services, f"{prefix}{i}", report)
    finally:
        services.close()


def _ack_line(r: dict) -> str:
    return (
        f"{r['messages']} webhooks, {r['per_second']:.0f}/s, p50 {r['all']['p50_ms']} ms,"
        f" p99 {r['all']['p99_ms']} ms"
    )


def _print(acks, pipeline, intake_runs, redis_what, db_what, options) -> None:
    print(f"\ngunicorn {' '.join(options)}; Redis: {redis_what}; database: {db_what}")
    print(f"\n{'acknowledgement':18} {'msgs/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>7}")
    for level, r in acks.items():
        for kind in ("africastalking", "twilio"):
            s = r[kind]
            print(
                f"{level + ' ' + kind:18} {r['per_second']:>7.0f} {s['p50_ms']:>7.2f}"
                f" {s['p99_ms']:>7.2f} {r['server_cpu_ms_per_message']:>7.2f}"
            )
    head = f"\n{'to cases':24} {'all cases s':>11} {'queues empty s':>14}"
    print(f"{head} {'cases/s':>8} {'/worker':>8}")
    for title, runs in (("SMS reports,", pipeline), ("intakes,", intake_runs)):
        for name, r in runs.items():
            print(
                f"{title + ' ' + name:24} {r['seconds_to_all_cases']:>11} "
                f"{r['seconds_to_empty_queues']:>14} {r['cases_per_second']:>8}"
                f" {r['cases_per_second_per_worker']:>8}"
            )


if __name__ == "__main__":
    main()
