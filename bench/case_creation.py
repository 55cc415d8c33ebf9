"""Case creation in one process: reports stored as intakes (what a channel's last step does),
then the worker's job turning each into a routed case with its confirmation queued
(`workers.jobs.process_intake`), called directly: no RQ, no HTTP. Wall and CPU time per case,
the best and the median of `--rounds` rounds: CPU time is the figure least disturbed by a
busy machine, and the one encryption adds to.

    .venv/bin/python bench/case_creation.py [--cases 1000] [--rounds 3]
                                            [--database-url postgresql://postgres@127.0.0.1/x]

PostgreSQL when a server is given (default: TEST_DATABASE_URL), else SQLite. It also runs
unchanged from a checkout from before personal data was encrypted (#18), to compare: there
`common` has no data key, and none is given. Writes bench/results/case_creation.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import common
from common import ROOT, bench_redis, workspace, write_result
from ussd_long import database

DATA_KEY = getattr(common, "DATA_KEY", None)
"""None in a checkout from before #18."""


def report(i: int):
    from casebridge.reports import Report

    return Report(
        reporter_phone=f"+62812{i % 10**7:07d}",
        reporter_name=f"Pelapor {i}",
        relationship="sibling",
        category="unpaid_wages",
        country="MY",
        province="ID-JI",
        regency="Banyuwangi",
        worker_name=f"Pekerja {i}",
        worker_gender="female",
        description=f"Gaji {i % 12} bulan belum dibayar, paspor ditahan majikan",
        channel="desk",
        sms_safe=True,
    )


def one_round(services, count: int, tag: str) -> dict:
    """`count` intakes stored, then made cases; seconds and CPU seconds per case for each."""
    from gateway.submit import submit_report
    from workers import jobs

    wall, cpu = time.perf_counter(), time.process_time()
    ids = [submit_report(services, f"{tag}-{i}", report(i)).intake_id for i in range(count)]
    stored = (time.perf_counter() - wall, time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    for intake_id in ids:
        assert jobs.process_intake(intake_id) is not None
    made = (time.perf_counter() - wall, time.process_time() - cpu)
    services.redis.flushdb()  # the queued confirmations: nobody sends them here
    return {
        "intake_ms": round(1000 * stored[0] / count, 3),
        "intake_cpu_ms": round(1000 * stored[1] / count, 3),
        "case_ms": round(1000 * made[0] / count, 3),
        "case_cpu_ms": round(1000 * made[1] / count, 3),
        "cases_per_second": round(count / made[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    from casebridge.settings import Settings
    from gateway.cli.worker import configure_runtime
    from gateway.services import Services

    with (
        workspace() as folder,
        bench_redis(folder, "tcp") as (redis_url, redis_what, _),
        database(folder, args.database_url) as (db_url, db_what),
    ):
        env = {"DATABASE_URL": db_url, "REDIS_URL": redis_url, "SECRET_KEY": "bench-secret"}
        if DATA_KEY:
            env["DATA_KEY"] = DATA_KEY
        services = Services.build(Settings.load(env=env, instance_dir=folder))
        configure_runtime(services)
        try:
            one_round(services, min(100, args.cases), "warm")
            rounds = []
            for n in range(args.rounds):
                rounds.append(one_round(services, args.cases, f"r{n}-{uuid.uuid4().hex[:6]}"))
                print(f"round {n + 1}: {rounds[-1]}", flush=True)
        finally:
            services.close()
    keys = rounds[0].keys()
    result = {
        "cases_per_round": args.cases,
        "encrypted": bool(DATA_KEY),
        "database": db_what,
        "redis": redis_what,
        "rounds": rounds,
        "best": {k: (max if k == "cases_per_second" else min)(r[k] for r in rounds) for k in keys},
        "median": {k: statistics.median(r[k] for r in rounds) for k in keys},
    }
    print(f"\n{db_what}, {args.cases} cases a round, encrypted: {result['encrypted']}")
    print(f"{'':8} " + " ".join(f"{k:>16}" for k in keys))
    for name in ("best", "median"):
        print(f"{name:8} " + " ".join(f"{result[name][k]:>16}" for k in keys))
    path = write_result(
        "case_creation",
        {"command": f"bench/case_creation.py --cases {args.cases}", **result},
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
