"""How long tolerant matching of typed places takes: `places.match_regency` and
`places.match_province` on typos, prefixes and abbreviations, as reporters type them in USSD
and SMS answers. The budget is a millisecond per call at most, so that a hop that matches a
place stays far inside the provider's timeout.

    .venv/bin/python bench/places_match.py [--rounds 200]

Prints a table and writes bench/results/places_match.json.
"""

from __future__ import annotations

import argparse
import time

from common import summary, table, write_result

from casebridge import places

QUERIES = ["banyuwangu", "Kota Malang", "lombok tmur", "Jatim"]
BUDGET_MS = 1.0
"""The mean call, at most."""


def calls(match, rounds: int) -> list[float]:
    """Seconds of every call of `match` on every query, `rounds` times."""
    match("warmup")  # reference data loaded once
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            began = time.perf_counter()
            match(query)
            times.append(time.perf_counter() - began)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    rows = {
        "match_regency": summary(calls(places.match_regency, args.rounds)),
        "match_province": summary(calls(places.match_province, args.rounds)),
    }
    print(table(rows))
    within = all(stats["mean_ms"] <= BUDGET_MS for stats in rows.values())
    print(f"budget {BUDGET_MS} ms per call (mean): {'within' if within else 'OVER'}")
    data = {"rounds": args.rounds, "queries": QUERIES, "calls": rows}
    data.update(budget_ms=BUDGET_MS, within=within)
    print(write_result("places_match", data, gunicorn_options=()))


if __name__ == "__main__":
    main()
