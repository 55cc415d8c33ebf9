"""Statistics and exports over 1,000,000 cases in PostgreSQL.

A fresh database is filled straight with SQL (the pipeline would take hours): cases spread
over three years, every status, category, destination, province, gender, channel and
organisation of the demo directory, each with its worker, a reporter among 100,000, an
intake and two or three timeline events. Then, timed:

- `pengaduan stats --json` (every case, as the console sees them), run as a new process;
- the statistics one organisation gets (`casebridge.stats.compute` over its visible cases,
  what `GET /api/v1/stats` computes);
- `pengaduan export --format csv -o FILE` of every case, and of one organisation's
  (`--org`), as new processes: time, rows per second, size and peak memory (the process's
  maximum resident set).

    .venv/bin/python bench/stats_export.py [--cases 1000000] [--database-url postgresql://…]

Needs a PostgreSQL server (default: TEST_DATABASE_URL). Writes bench/results/stats_export.json.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from common import DATA_KEY, ROOT, data_keys, postgres_database, workspace, write_result

ORGS_FILE = ROOT / "gateway" / "demo" / "organisations.yaml"
REPORTERS = 100_000
PLACES = [
    ("ID-JI", "Banyuwangi"),
    ("ID-JI", "Malang"),
    ("ID-JI", "Jember"),
    ("ID-JT", "Cilacap"),
    ("ID-JT", "Kendal"),
    ("ID-JB", "Indramayu"),
    ("ID-JB", "Cirebon"),
    ("ID-NB", "Lombok Timur"),
    ("ID-LA", "Lampung Timur"),
    ("ID-NT", "Kupang"),
    ("ID-SU", "Deli Serdang"),
    ("ID-BA", "Buleleng"),
]
COUNTRIES = ["MY", "MY", "MY", "TW", "TW", "HK", "HK", "SA", "SG", "KR", "JP", "AE", "QA"]
STATUSES = ["new"] + ["assigned"] * 6 + ["accepted"] * 5 + ["in_progress"] * 4
STATUSES += ["needs_info", "declined"] + ["resolved"] * 3 + ["closed"] * 2
GENDERS = ["female"] * 14 + ["male"] * 5 + ["unspecified"]
CHANNELS = ["ussd"] * 5 + ["sms"] * 3 + ["voice", "desk"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _pick(values: list[str], salt: int) -> str:
    """An SQL expression picking from `values` by the row number `g` (deterministic)."""
    return f"({_array(values)})[1 + ((g * {salt}) % {len(values)})]"


def references(count: int) -> list[str]:
    """`count` distinct valid case references (seven random digits and a Damm check digit)."""
    from casebridge import refs

    rng = random.Random(20261123)
    bodies = rng.sample(range(10**7), count) if count <= 10**7 else []
    return [f"{b:07d}" + refs.check_digit(f"{b:07d}") for b in bodies]


def fill(url: str, count: int) -> dict:
    """Fill the database with `count` cases; returns how long each part took."""
    import psycopg

    from casebridge import taxonomy

    categories = list(taxonomy.CATEGORIES)
    took = {}
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        began = time.perf_counter()
        cur.execute("CREATE TEMP TABLE seed_refs (g integer PRIMARY KEY, ref varchar(8))")
        with cur.copy("COPY seed_refs (g, ref) FROM STDIN") as copy:
            for g, ref in enumerate(references(count), 1):
                copy.write_row((g, ref))
        took["references_s"] = round(time.perf_counter() - began, 1)
        cur.execute("SELECT id FROM organisations ORDER BY id")
        orgs = [str(row[0]) for row in cur.fetchall()]
        org_expr = f"(ARRAY[{','.join(orgs)}])[1 + ((g * 7) % {len(orgs)})]"
        province = f"({_array([p for p, _ in PLACES])})[1 + ((g * 11) % {len(PLACES)})]"
        regency = f"({_array([r for _, r in PLACES])})[1 + ((g * 11) % {len(PLACES)})]"
        created = "now() - ((g % 1095) * interval '1 day') - ((g % 1440) * interval '1 minute')"
        statements = {
            "reporters": f"""
                INSERT INTO reporters (phone, language, sms_safe, opted_out, created_at)
                SELECT '+62812' || lpad(g::text, 8, '0'), 'id', g % 5 <> 0, false, now()
                FROM generate_series(1, {REPORTERS}) g""",
            "workers": f"""
                INSERT INTO migrant_workers (id, name, gender, country, province, regency)
                SELECT g, 'Pekerja ' || g, {_pick(GENDERS, 13)}, {_pick(COUNTRIES, 17)},
                       {province}, {regency}
                FROM generate_series(1, {count}) g""",
            "intakes": f"""
                INSERT INTO intakes (id, idempotency_key, channel, reference, pin_seed,
                                     payload, state, attempts, created_at, case_id)
                SELECT g, 'seed:' || g, {_pick(CHANNELS, 19)}, r.ref, 'x', '{{}}', 'done',
                       1, {created}, g
                FROM generate_series(1, {count}) g JOIN seed_refs r USING (g)""",
            "cases": f"""
                INSERT INTO cases (id, reference, pin_hash, intake_id, status, category,
                                   description, channel, language, relationship, reporter_id,
                                   worker_id, organisation_id, consent_to_share, overdue,
                                   created_at, updated_at, assigned_at, accepted_at,
                                   resolved_at, closed_at)
                SELECT g, r.ref, 'x', g, s.status, {_pick(categories, 23)},
                       'Gaji ' || (g % 12) || ' bulan belum dibayar', {_pick(CHANNELS, 19)},
                       'id', 'sibling', 1 + (g % {REPORTERS}), g,
                       CASE WHEN s.status = 'new' THEN NULL ELSE {org_expr} END,
                       g % 3 = 0, g % 50 = 0, c.at, c.at,
                       CASE WHEN s.status = 'new' THEN NULL ELSE c.at + interval '2 minutes' END,
                       CASE WHEN s.status IN ('accepted', 'in_progress', 'needs_info',
                                              'resolved', 'closed')
                            THEN c.at + ((g % 72) * interval '1 hour') END,
                       CASE WHEN s.status IN ('resolved', 'closed')
                            THEN c.at + ((g % 90) * interval '1 day') END,
                       CASE WHEN s.status = 'closed' THEN c.at + interval '120 days' END
                FROM generate_series(1, {count}) g
                JOIN seed_refs r USING (g)
                CROSS JOIN LATERAL (SELECT {_pick(STATUSES, 29)} AS status) s
                CROSS JOIN LATERAL (SELECT {created} AS at) c""",
            "events": """
                INSERT INTO case_events (case_id, at, kind, actor, note, from_status, to_status)
                SELECT id, created_at, 'created', 'reporter:' || channel, 'report received',
                       NULL, NULL FROM cases
                UNION ALL
                SELECT id, assigned_at, 'status', 'system:routing', 'routed', 'new',
                       'assigned' FROM cases WHERE assigned_at IS NOT NULL
                UNION ALL
                SELECT id, accepted_at, 'status', 'caseworker:+6281200000000', 'accepted',
                       'assigned', 'accepted' FROM cases WHERE accepted_at IS NOT NULL""",
        }
        for name, sql in statements.items():
            began = time.perf_counter()
            cur.execute(sql)
            took[f"{name}_s"] = round(time.perf_counter() - began, 1)
            print(f"  filled {name} in {took[f'{name}_s']} s", flush=True)
        for table in ("migrant_workers", "intakes", "cases"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        began = time.perf_counter()
        for table, columns in SEALED.items():
            seal(cur, table, columns)
        took["encrypt_s"] = round(time.perf_counter() - began, 1)
        print(f"  encrypted the personal columns in {took['encrypt_s']} s", flush=True)
        conn.commit()
        conn.autocommit = True
        began = time.perf_counter()
        cur.execute("VACUUM FULL ANALYZE")  # as compact as rows inserted encrypted would be
        took["vacuum_analyze_s"] = round(time.perf_counter() - began, 1)
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        took["database_size"] = cur.fetchone()[0]
    return took


SEALED = {
    "reporters": ["phone"],
    "migrant_workers": ["name"],
    "cases": ["description"],
    "case_events": ["note"],
    "intakes": ["payload"],
}
"""The personal columns `fill` writes plain, then encrypts under the bench data key."""


def seal(cur, table: str, columns: list[str]) -> None:
    """Encrypt `columns` of every row of `table` in place, as the product stores them (and
    the blind index of a reporter's phone): computed here, sent back with COPY, one UPDATE."""
    keys = data_keys()
    index = table == "reporters"
    cur.execute(f"SELECT id, {', '.join(columns)} FROM {table}")
    rows = cur.fetchall()
    names = columns + (["phone_index"] if index else [])
    cur.execute(
        f"CREATE TEMP TABLE sealed_{table} (id integer PRIMARY KEY, "
        + ", ".join(f"{c} text" for c in names)
        + ")"
    )
    with cur.copy(f"COPY sealed_{table} (id, {', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            values = [None if v is None else keys.encrypt(str(v)) for v in row[1:]]
            if index:
                values.append(keys.index(row[1]))
            copy.write_row((row[0], *values))
    sets = ", ".join(f"{c} = s.{c}" for c in names)
    cur.execute(f"UPDATE {table} t SET {sets} FROM sealed_{table} s WHERE t.id = s.id")


def timed_process(command: list[str], env: dict, cwd: Path) -> dict:
    """Run a command: its wall time, CPU time, and peak memory (the largest resident set seen
    while sampling it every 50 ms; `ru_maxrss` of a child started from this big process
    reports the parent's size at the fork)."""
    import threading

    import psutil

    began = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    peak = [0]
    watched = psutil.Process(proc.pid)
    ended = threading.Event()

    def sample() -> None:  # never reaps the child: only this thread's wait4 does
        while not ended.is_set():
            try:
                peak[0] = max(peak[0], watched.memory_info().rss)
            except psutil.Error:
                return
            ended.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    ended.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed with {status}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak[0] / 2**20, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "stdout_bytes": len(out),
    }


def org_stats(url: str, code: str) -> dict:
    """`casebridge.stats.compute` over what one organisation sees (GET /api/v1/stats)."""
    from sqlalchemy import select

    from casebridge import access, stats
    from casebridge.db import Database
    from casebridge.models import Organisation

    db = Database(url, data_keys())
    with db.session() as session:
        org = session.scalars(select(Organisation).where(Organisation.code == code)).one()
        began = time.perf_counter()
        result = stats.compute(session, access.visible_cases(org))
        seconds = time.perf_counter() - began
    db.dispose()
    return {"organisation": code, "cases": result["total"], "seconds": round(seconds, 2)}


def routing_time(url: str) -> dict:
    """How long routing a new case takes with this many cases: it ranks the organisations
    covering the case by their open cases (`casebridge.routing`), in the worker for every
    case, and in the USSD request for the organisations offered and the handler shown."""
    from casebridge import routing
    from casebridge.db import Database

    db = Database(url, data_keys())
    facts = routing.CaseFacts("unpaid_wages", "MY", "ID-JI", "Banyuwangi")
    with db.session() as session:
        routing.route(session, facts)  # warm
        times = []
        for _ in range(5):
            began = time.perf_counter()
            routing.route(session, facts)
            times.append(time.perf_counter() - began)
    db.dispose()
    return {"route_ms_median": round(1000 * sorted(times)[2], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--org", default="SBMI-BWI", help="the organisation measured alone")
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("needs a PostgreSQL server: --database-url or TEST_DATABASE_URL")
    exe = str(Path(sys.executable).with_name("pengaduan"))
    result: dict = {"cases": args.cases}
    with workspace() as folder, postgres_database(args.database_url, ORGS_FILE) as url:
        print(f"filling {args.cases} cases into {url.rsplit('/', 1)[-1]}", flush=True)
        result["fill"] = fill(url, args.cases)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret",
            "DATA_KEY": DATA_KEY,
        }
        env.pop("REDIS_URL", None)
        runs = {
            "pengaduan stats --json": [exe, "stats", "--json"],
            "pengaduan export --format csv (all)": [
                *(exe, "export", "--format", "csv"),
                *("-o", str(folder / "all.csv")),
            ],
            f"pengaduan export --format csv --org {args.org}": [
                *(exe, "export", "--format", "csv", "--org", args.org),
                *("-o", str(folder / "org.csv")),
            ],
        }
        for name, command in runs.items():
            print(f"running {name}", flush=True)
            result[name] = timed_process(command, env, folder)
            out = command[-1]
            if out.endswith(".csv"):
                path = Path(out)
                rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
                result[name].update(
                    rows=rows,
                    file_mb=round(path.stat().st_size / 2**20, 1),
                    rows_per_second=round(rows / result[name]["seconds"]),
                )
                path.unlink()
            print(f"  {result[name]}", flush=True)
        result["stats for one organisation"] = org_stats(url, args.org)
        print(f"  {result['stats for one organisation']}", flush=True)
        result["routing one case"] = routing_time(url)
        print(f"  routing one case: {result['routing one case']}", flush=True)
    print(f"\n{args.cases} cases in PostgreSQL ({result['fill']['database_size']})")
    print(f"{'':46} {'seconds':>8} {'rows/s':>8} {'peak MB':>8}")
    for name, r in result.items():
        if isinstance(r, dict) and "seconds" in r and name != "fill":
            print(
                f"{name:46} {r['seconds']:>8} {r.get('rows_per_second', ''):>8}"
                f" {r.get('peak_rss_mb', ''):>8}"
            )
    path = write_result(
        "stats_export",
        {"command": f"bench/stats_export.py --cases {args.cases}", **result},
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
