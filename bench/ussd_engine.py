"""How long the USSD engine takes for one hop in memory: `engine.step` on a state that went
through JSON (as it does through Redis), without HTTP, Redis or the database, along a whole
report (19 answers: paging, typed names and places, the summary, a second reporter's
details). The budget is a median far under a millisecond: the rest of a hop's time is the
web server's and Redis's.

    .venv/bin/python bench/ussd_engine.py [--sessions 300]

Prints a table and writes bench/results/ussd_engine.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from common import ROOT, summary, table, write_result

from ussd_menus import engine

sys.path.insert(0, str(ROOT))  # the in-memory context the engine's tests use
from tests.ussd_engine.fakes import CALLER, FakeContext  # noqa: E402

SESSION = ["1", "2", "2", "Siti*Rahayu", "1", "1", "98", "2", "Jawa Timur", "Banyuwangi"]
SESSION += ["0123456789", "Gaji belum dibayar", "2", "1", "1", "2", "2", "Siti Aminah", "3"]
BUDGET_MS = 1.0
"""The median hop, at most."""


def hops(sessions: int) -> list[float]:
    """Seconds of every `engine.step` of `sessions` whole sessions."""
    ctx = FakeContext()
    engine.start(CALLER, "id", ctx)  # menus and reference data loaded once
    times = []
    for _ in range(sessions):
        state, _screen = engine.start(CALLER, "id", ctx)
        for key in SESSION:
            state = json.loads(json.dumps(state))
            began = time.perf_counter()
            state, _screen = engine.step(state, key, ctx)
            times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=300)
    args = parser.parse_args()
    stats = summary(hops(args.sessions))
    print(table({"engine.step": stats}))
    within = stats["p50_ms"] <= BUDGET_MS
    print(f"median {stats['p50_ms']} ms; budget {BUDGET_MS} ms: {'within' if within else 'OVER'}")
    data = {"sessions": args.sessions, "hop": stats, "budget_ms": BUDGET_MS, "within": within}
    print(write_result("ussd_engine", data, gunicorn_options=()))


if __name__ == "__main__":
    main()
