"""How fast a USSD hop is answered: `POST /ussd/africastalking` of the real app under gunicorn,
against a bare Flask endpoint answering `CON hello` under the same gunicorn settings, in the
same run, on loopback, one request at a time.

Each session dials, walks a whole report to its summary (ordinary hops: Redis only, no
database), then sends it (the submit hop writes the intake to SQLite and enqueues its job).

    .venv/bin/python bench/ussd_hop.py [--sessions 200]

Prints a table and the ratios, and writes bench/results/ussd_hop.json. Uses REDIS_URL when
set (its keys expire; the queued intake jobs stay), else an embedded Redis.
"""

from __future__ import annotations

import argparse
import uuid

from common import (
    BARE_SPEC,
    ROOT,
    gunicorn,
    post_form,
    ratio,
    redis_url,
    sqlite_database,
    summary,
    table,
    workspace,
    write_result,
)

PATH = "/ussd/africastalking"
TO_SUMMARY = ["1", "2", "2", "Siti Rahayu", "1", "1", "2", "Jawa Timur", "Banyuwangi"]
TO_SUMMARY += ["0123456789", "Gaji 4 bulan belum dibayar", "1", "1"]
"""A family member's report up to its summary; the service chooses the organisation."""
SEND = "1"
ORGS_FILE = ROOT / "gateway" / "demo" / "organisations.yaml"


class Run:
    def __init__(self, app_port: int, bare_port: int):
        self.app_port, self.bare_port = app_port, bare_port
        self.hops: list[float] = []
        self.submits: list[float] = []
        self.bare: list[float] = []

    def _hop(self, form: dict[str, str], expect: str) -> float:
        seconds, status, body = post_form(self.app_port, PATH, form)
        if status != 200 or not body.startswith(expect):
            raise SystemExit(f"unexpected reply {status} {body!r} to {form['text']!r}")
        return seconds

    def session(self, keep: bool) -> None:
        form = {
            "sessionId": f"ATUid_bench{uuid.uuid4().hex}",
            "serviceCode": "*123#",
            "phoneNumber": "+6281234567890",
            "networkCode": "99999",
            "text": "",
        }
        hops = [self._hop(form, "CON ")]
        for typed in TO_SUMMARY:
            form["text"] = f"{form['text']}*{typed}" if form["text"] else typed
            hops.append(self._hop(form, "CON "))
        form["text"] += f"*{SEND}"
        submit = self._hop(form, "END Laporan terkirim.")
        bare = [post_form(self.bare_port, PATH, form)[0] for _ in range(len(hops) + 1)]
        if keep:
            self.hops += hops
            self.submits.append(submit)
            self.bare += bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="sessions measured")
    parser.add_argument("--warmup", type=int, default=20, help="sessions run first, not kept")
    args = parser.parse_args()
    with workspace() as folder, redis_url(folder) as (url, redis_kind):
        env = {
            "DATABASE_URL": sqlite_database(folder, ORGS_FILE),
            "REDIS_URL": url,
            "SECRET_KEY": "bench-secret",
            "INSTANCE_DIR": str(folder),
            "SMS_PROVIDER": "simulator",
            "AT_WEBHOOK_TOKEN": "",
        }
        with gunicorn("gateway.app:create_app()", env) as app_port, gunicorn(BARE_SPEC) as bare:
            run = Run(app_port, bare)
            for number in range(args.warmup + args.sessions):
                run.session(keep=number >= args.warmup)
    rows = {
        "bare Flask (CON hello)": summary(run.bare),
        "USSD hop (ordinary)": summary(run.hops),
        "USSD hop (submit, SQLite)": summary(run.submits),
    }
    bare_stats, hop_stats = rows["bare Flask (CON hello)"], rows["USSD hop (ordinary)"]
    ratios = {
        "ordinary_hop_p50_vs_bare": ratio(hop_stats, bare_stats, "p50_ms"),
        "ordinary_hop_p99_vs_bare": ratio(hop_stats, bare_stats, "p99_ms"),
    }
    print(table(rows))
    print(
        f"\nordinary hop / bare Flask: p50 x{ratios['ordinary_hop_p50_vs_bare']}, "
        f"p99 x{ratios['ordinary_hop_p99_vs_bare']}  (Redis: {redis_kind})"
    )
    path = write_result(
        "ussd_hop",
        {
            "sessions": args.sessions,
            "hops_per_session": len(TO_SUMMARY) + 2,
            "redis": redis_kind,
            "database": "SQLite",
            "results": rows,
            "ratios": ratios,
        },
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
