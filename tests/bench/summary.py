#!/usr/bin/env python3
"""Print the summary table of run_all.sh from the benchmarks' JSON files.

    python3 tests/bench/summary.py SEARCH_JSON NIGHTLY_JSON

A missing or empty file is reported as "not run".
"""

import json
import os
import sys

from benchlib import print_table


def load(path):
    if not path or not os.path.isfile(path) or not os.path.getsize(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def search_rows(data):
    if not data:
        return [["member search", "not run", "", "", ""]]
    rows = []
    fig = data["figures"]
    for kind in ("phone", "number", "name"):
        ours = fig["ours"][kind]
        stock = fig.get("stock", {}).get(kind)
        stock_txt = (
            f"{stock['p50']:.0f} / {stock['p95']:.0f} ms" if stock else "not run"
        )
        speed = f"{stock['p50'] / ours['p50']:.0f}x" if stock else ""
        rows.append(
            [
                f"search {kind} (p50 / p95)",
                stock_txt,
                f"{ours['p50']:.1f} / {ours['p95']:.1f} ms",
                speed,
                "OK" if ours["p95"] <= 20.0 else "SLOW (> 20 ms p95)",
            ]
        )
    return rows


def nightly_rows(data):
    if not data:
        return [["nightly job", "not run", "", "", ""]]
    rows = []
    for key, label in (("run1", "first grading"), ("run2", "steady state")):
        run = data[key]
        bare = run.get("bare_s", data["bare_aggregate_s"])
        rows.append(
            [
                f"nightly job, {label}",
                f"{bare:.1f} s (bare SQL)",
                f"{run['total_s']:.1f} s",
                f"{run['total_s'] / bare:.1f}x bare",
                "OK" if run["ok"] else "MISSED (<= 2x bare and < 60 s)",
            ]
        )
    return rows


def main(argv):
    search = load(argv[1] if len(argv) > 1 else None)
    nightly = load(argv[2] if len(argv) > 2 else None)
    members = (search or nightly or {}).get("members", "?")
    print(f"\nSummary ({members} members)")
    print_table(
        ["measure", "stock / baseline", "tsl_crm", "ratio", "target"],
        search_rows(search) + nightly_rows(nightly),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
