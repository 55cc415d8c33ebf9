"""How fast USSD hops are answered: `POST /ussd/africastalking` of the real app under gunicorn
against a bare Flask endpoint answering `CON hello`, under the same gunicorn settings, in the
same run, on loopback, at concurrency 1 and 8.

Every session has a fresh session id and caller, dials, and answers a whole report up to its
summary (13 answers, Redis only). Two loads:

- `cancelled`: the 15th hop cancels the report (Redis only). Its hops/s against the bare
  endpoint's is the ratio the design asks for (at least 2/3 at concurrency 8).
- `sent`: the 15th hop sends it (a PIN hash, the intake written to SQLite, its job
  enqueued): how the sending hop behaves under load.

Each measured run is repeated (`--rounds`), the two servers alternating, so that both meet
the same moments of a shared machine: the best round of each is compared (what each can do
when the machine leaves it alone), and the median of the rounds' paired ratios.

    .venv/bin/python bench/ussd_hop.py [--sessions 400] [--concurrency 1,8] [--workers 4]
                                       [--redis tcp,unix] [--loads cancelled,sent]

Prints a table and the ratios, and writes bench/results/ussd_hop.json. Redis is a private
redis-server on loopback (TCP, and a Unix socket as when Redis runs on the same machine), or
the Redis URL given to --redis.
"""

from __future__ import annotations

import argparse
import statistics
import uuid
from urllib.parse import urlencode

import loadgen
from common import (
    BARE_SPEC,
    DATA_KEY,
    ROOT,
    bench_redis,
    cpu_seconds,
    gunicorn,
    gunicorn_args,
    sqlite_database,
    summary,
    workspace,
    write_result,
)

PATH = "/ussd/africastalking"
TO_SUMMARY = ["1", "2", "2", "Siti Rahayu", "1", "1", "2", "Jawa Timur", "Banyuwangi"]
TO_SUMMARY += ["0123456789", "Gaji 4 bulan belum dibayar", "1", "1"]
"""A family member's report up to its summary; the service chooses the organisation."""
LAST = {"cancelled": "3", "sent": "1"}
EXPECT = {"cancelled": b"END Laporan dibatalkan", "sent": b"END Laporan terkirim."}
ORGS_FILE = ROOT / "gateway" / "demo" / "organisations.yaml"
BARE = b"CON hello"
TARGET = 2 / 3
"""The hop's throughput at concurrency 8, as a share of the bare endpoint's."""


def phone(number: int) -> str:
    """A different Indonesian mobile number for every session."""
    return f"+62813{number % 10**8:08d}"


def report_session(
    number: int, load: str, bare: bool = False, session_id: str | None = None
) -> list[loadgen.Step]:
    """The requests of one session: dial, the answers to the summary, then cancel or send."""
    form = {
        "sessionId": session_id or f"ATUid_bench{uuid.uuid4().hex}",
        "serviceCode": "*123#",
        "phoneNumber": phone(number),
        "networkCode": "99999",
        "text": "",
    }
    steps = [loadgen.Step(PATH, urlencode(form).encode(), BARE if bare else b"CON ")]
    for typed in [*TO_SUMMARY, LAST[load]]:
        form["text"] = f"{form['text']}*{typed}" if form["text"] else typed
        steps.append(loadgen.Step(PATH, urlencode(form).encode(), BARE if bare else b"CON "))
    kind = "submit" if load == "sent" else "hop"
    last = steps[-1]
    steps[-1] = loadgen.Step(PATH, last.body, BARE if bare else EXPECT[load], kind)
    return steps


def measure(port, redis_pid, script, sessions: int, concurrency: int, first: int) -> dict:
    """One run against one server: throughput, latency by kind, CPU per request."""
    cpu_before = cpu_seconds(port.pid)
    redis_before = cpu_seconds(redis_pid) if redis_pid else 0.0
    result = loadgen.run(port, script, sessions, concurrency, first_session=first)
    cpu = cpu_seconds(port.pid) - cpu_before
    redis_cpu = (cpu_seconds(redis_pid) - redis_before) if redis_pid else 0.0
    if result.errors:
        raise SystemExit(f"{result.errors} unexpected replies; first: {result.first_error}")
    return {
        "requests": result.requests,
        "seconds": round(result.seconds, 3),
        "per_second": round(result.per_second, 1),
        "server_cpu_ms_per_request": round(1000 * cpu / result.requests, 3),
        "redis_cpu_ms_per_request": round(1000 * redis_cpu / result.requests, 3),
        "all": summary(result.all_latencies()),
        **{kind: summary(values) for kind, values in result.latencies.items()},
    }


def _hiredis() -> bool:
    """Whether redis-py in this environment (and so in the app's) uses hiredis."""
    from redis.utils import HIREDIS_AVAILABLE

    return bool(HIREDIS_AVAILABLE)


def _script(load: str, bare: bool):
    return lambda number: report_session(number, load, bare)


def run_one_redis(args, folder, kind: str, options: tuple, first: int) -> tuple[dict, int]:
    """Every load and concurrency against both servers, on one Redis."""
    results = {}
    with bench_redis(folder, kind) as (url, redis_what, redis_pid):
        env = {
            "DATABASE_URL": sqlite_database(folder, ORGS_FILE),
            "REDIS_URL": url,
            "SECRET_KEY": "bench-secret",
            "DATA_KEY": DATA_KEY,
            "INSTANCE_PATH": str(folder),
            "SMS_PROVIDER": "simulator",
            "AT_WEBHOOK_TOKEN": "",
        }
        with (
            gunicorn("gateway.app:create_app()", env, options) as app,
            gunicorn(BARE_SPEC, args=options) as bare,
        ):
            for load in args.loads.split(","):
                for level in [int(c) for c in args.concurrency.split(",")]:
                    runs: dict[str, list[dict]] = {"app": [], "bare": []}
                    for name, port in (("app", app), ("bare", bare)):  # warm both up
                        loadgen.run(port, _script(load, name == "bare"), args.warmup, level, 60.0)
                    for _ in range(args.rounds):
                        for name, port in (("bare", bare), ("app", app)):
                            pid = redis_pid if name == "app" else None
                            script = _script(load, name == "bare")
                            runs[name].append(
                                measure(port, pid, script, args.sessions, level, first)
                            )
                            first += args.sessions
                    results[f"{load}, c={level}"] = _combine(runs)
                    print(f"  {kind}, {load}, c={level}: {_line(results[f'{load}, c={level}'])}")
    return {"redis": redis_what, "loads": results}, first


def _combine(runs: dict[str, list[dict]]) -> dict:
    """The rounds of each server together: best and median throughput, and the ratios."""
    combined = {}
    for name, rounds in runs.items():
        rates = [r["per_second"] for r in rounds]
        best = max(rounds, key=lambda r: r["per_second"])
        combined[name] = {
            "per_second_rounds": rates,
            "per_second": best["per_second"],
            "per_second_median": round(statistics.median(rates), 1),
            "server_cpu_ms_per_request": min(r["server_cpu_ms_per_request"] for r in rounds),
            "redis_cpu_ms_per_request": min(r["redis_cpu_ms_per_request"] for r in rounds),
            **{k: v for k, v in best.items() if isinstance(v, dict)},
        }
    app, bare = combined["app"], combined["bare"]
    paired = [
        a["per_second"] / b["per_second"] for a, b in zip(runs["app"], runs["bare"], strict=True)
    ]
    combined["ratio"] = {
        "throughput": round(app["per_second"] / bare["per_second"], 3),
        "throughput_median": round(statistics.median(paired), 3),
        "hop_p50": round(app["hop"]["p50_ms"] / bare["all"]["p50_ms"], 2),
        "hop_p99": round(app["hop"]["p99_ms"] / bare["all"]["p99_ms"], 2),
        "server_cpu": round(
            app["server_cpu_ms_per_request"] / bare["server_cpu_ms_per_request"], 2
        ),
    }
    return combined


def _line(combined: dict) -> str:
    app, bare, ratio = combined["app"], combined["bare"], combined["ratio"]
    return (
        f"app {app['per_second']:.0f}/s vs bare {bare['per_second']:.0f}/s"
        f" = {ratio['throughput']:.2f} (paired median {ratio['throughput_median']:.2f})"
    )


def _print(results: dict, options: tuple) -> None:
    print(f"\ngunicorn {' '.join(options)}; database: SQLite; hiredis: {_hiredis()}")
    head = f"{'redis':5} {'load, clients':18} {'server':11} {'req/s':>7} {'p50 ms':>7}"
    print(head + f" {'p99 ms':>7} {'cpu ms/req':>10}")
    for kind, per_redis in results.items():
        for name, combined in per_redis["loads"].items():
            for server in ("bare", "app"):
                r = combined[server]
                rows = [("", r["all"])]
                if server == "app":
                    rows = [(f":{k}", r[k]) for k in ("hop", "submit") if k in r]
                for suffix, stats in rows:
                    print(
                        f"{kind:5} {name:18} {server + suffix:11} {r['per_second']:>7.0f}"
                        f" {stats['p50_ms']:>7.2f} {stats['p99_ms']:>7.2f}"
                        f" {r['server_cpu_ms_per_request']:>10.3f}"
                    )
            ratio = combined["ratio"]
            verdict = ""
            if name == "cancelled, c=8":
                verdict = "  (target >= 0.67: " + (
                    "met)" if ratio["throughput"] >= TARGET else "NOT met)"
                )
            print(
                f"{'':24} app/bare: throughput {ratio['throughput']:.2f}"
                f" (paired median {ratio['throughput_median']:.2f}), hop p50 x{ratio['hop_p50']},"
                f" p99 x{ratio['hop_p99']}, server CPU x{ratio['server_cpu']}{verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=400, help="sessions per measured run")
    parser.add_argument("--warmup", type=int, default=40, help="sessions run first, not kept")
    parser.add_argument("--concurrency", default="1,8", help="comma-separated client counts")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (Procfile: 4)")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per server")
    parser.add_argument("--redis", default="tcp,unix", help="tcp, unix, or a Redis URL")
    parser.add_argument("--loads", default="cancelled,sent", help="cancelled, sent")
    parser.add_argument("--name", default="ussd_hop", help="results file: bench/results/NAME.json")
    args = parser.parse_args()
    options = gunicorn_args(args.workers, args.worker_class, args.threads)
    results, first = {}, 0
    with workspace() as folder:
        for kind in args.redis.split(","):
            label = kind if kind in ("tcp", "unix") else "url"
            (folder / label).mkdir()
            results[label], first = run_one_redis(args, folder / label, kind, options, first)
    _print(results, options)
    command = (
        f"bench/ussd_hop.py --sessions {args.sessions} --concurrency {args.concurrency}"
        f" --workers {args.workers} --worker-class {args.worker_class} --rounds {args.rounds}"
        f" --redis {args.redis} --loads {args.loads}"
    )
    path = write_result(
        args.name,
        {
            "command": command,
            "sessions_per_run": args.sessions,
            "hops_per_session": len(TO_SUMMARY) + 2,
            "database": "SQLite",
            "hiredis": _hiredis(),
            "target_throughput_ratio_c8": round(TARGET, 3),
            "results": results,
        },
        options,
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
