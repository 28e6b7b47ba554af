#!/usr/bin/env python3
"""Monthly store report benchmark (tsl_callcenter, C9).

    python3 tests/bench/bench_store_report.py [-d tsl_c6b_bench] [--stores 500]
            [--calls 300000] [--month 2026-03] [--json OUT]

1. creates the database (tsl_callcenter installed, no demo data) unless it
   exists;
2. unless the month already holds calls, generates by SQL: areas, stores,
   members (4 weekly calls each) and a month of calls in weekly call lists
   (55 % reached, 3 % numbers corrected, 2 % cancelled);
3. times the month-end generation of every store's report and the regional
   summaries (``tsl.store.report._tsl_generate``), and the Excel export of
   all the stores in one workbook (``_tsl_xlsx_content``), with the peak RSS
   (``resource.getrusage``) before and after, and the Python heap peak
   (``tracemalloc``) of an export of a tenth of the stores against all of
   them: with ``constant_memory`` the peak does not grow with the rows;
4. opens the workbook with openpyxl and checks the figures against SQL.

The generated data is kept (rolled back generation is not worth it: run
again to measure again); ``dropdb`` the database to start over. The report
generation is rolled back after each measure.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    autocommit_connection,
    machine_note,
    odoo_addons_dir,
    open_registry,
    repo_addons_dir,
)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def ensure_db(db):
    conn = autocommit_connection("postgres")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        exists = cr.fetchone()
    conn.close()
    if exists:
        return
    log(f"creating {db} (tsl_callcenter, no demo data)")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={odoo_addons_dir()},{repo_addons_dir()}",
            "-d",
            db,
            "-i",
            "tsl_callcenter",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--http-port=8963",
        ],
        check=True,
    )


def generate(env, stores, calls, month):
    """Areas, stores, members and a month of calls, by SQL."""
    cr = env.cr
    weeks = [
        date.fromordinal(month.toordinal() + ((7 - month.weekday()) % 7) + 7 * w)
        for w in range(4)
    ]
    members = max(calls // len(weeks), stores)
    company = env.company.id
    uid = env.uid
    areas = max(stores // 50, 1)
    log(f"generating {areas} areas, {stores} stores, {members} members, {calls} calls")
    cr.execute(
        """
        INSERT INTO tsl_area (name, code, company_id, active)
        SELECT jsonb_build_object('en_US', 'Bench Area ' || a), 'BA' || a, %s, TRUE
          FROM generate_series(1, %s) a
        """,
        (company, areas),
    )
    cr.execute(
        """
        INSERT INTO tsl_store (name, code, company_id, area_id, active)
        SELECT jsonb_build_object('en_US', 'Bench Store ' || s),
               'BS' || lpad(s::text, 4, '0'), %s,
               (SELECT id FROM tsl_area WHERE code = 'BA' || (1 + (s - 1) %% %s)),
               TRUE
          FROM generate_series(1, %s) s
        """,
        (company, areas, stores),
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, active, type, is_company,
                                 autopost_bills, mobile, tsl_member_state,
                                 tsl_member_number, tsl_store_id, tsl_area_id,
                                 lang, create_uid, write_uid, create_date, write_date)
        SELECT '会员' || m, '会员' || m, TRUE, 'contact', FALSE, 'ask',
               '139' || lpad(m::text, 8, '0'), 'formal', 'BM' || lpad(m::text, 8, '0'),
               s.id, s.area_id, 'en_US', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(members)s) m
          JOIN tsl_store s
            ON s.code = 'BS' || lpad((1 + (m - 1) %% %(stores)s)::text, 4, '0')
        """,
        {"uid": uid, "members": members, "stores": stores},
    )
    cr.execute(
        """
        INSERT INTO tsl_call_list (store_id, area_id, company_id, week_start, week_end,
                                   cycle_week, name, state, create_uid, write_uid,
                                   create_date, write_date)
        SELECT s.id, s.area_id, s.company_id, w, w + 6, 1, s.code || ' ' || w, 'open',
               %(uid)s, %(uid)s, now(), now()
          FROM tsl_store s, unnest(%(weeks)s::date[]) w
         WHERE s.code LIKE 'BS%%'
        """,
        {"uid": uid, "weeks": weeks},
    )
    cr.execute(
        """
        INSERT INTO tsl_call (list_id, store_id, area_id, company_id, partner_id,
                              week_start, week_end, priority, call_class, state,
                              outcome, attempt_count, date_done, phone_corrected,
                              create_uid, write_uid, create_date, write_date)
        SELECT l.id, l.store_id, l.area_id, l.company_id, p.id, l.week_start,
               l.week_end, 10, 'b',
               CASE WHEN x.r < 0.02 THEN 'cancelled' ELSE 'done' END,
               CASE WHEN x.r < 0.02 THEN NULL
                    WHEN x.r < 0.57 THEN 'reached'
                    WHEN x.r < 0.87 THEN 'no_answer'
                    WHEN x.r < 0.94 THEN 'wrong_number'
                    WHEN x.r < 0.98 THEN 'empty_number'
                    ELSE 'refused' END,
               1, l.week_start + interval '1 day 10 hours', x.r2 < 0.03,
               %(uid)s, %(uid)s, now(), now()
          FROM res_partner p
          JOIN tsl_call_list l ON l.store_id = p.tsl_store_id
          CROSS JOIN LATERAL (SELECT random() AS r, random() AS r2, p.id AS pid) x
         WHERE p.tsl_member_number LIKE 'BM%%'
        """,
        {"uid": uid},
    )
    # the administrator manages every bench store: 500 plan activities
    cr.execute(
        """
        INSERT INTO tsl_store_manager_rel (store_id, user_id)
        SELECT id, 2 FROM tsl_store WHERE code LIKE 'BS%%'
        ON CONFLICT DO NOTHING
        """
    )
    cr.execute("ANALYZE tsl_call")
    cr.execute("ANALYZE res_partner")
    cr.commit()


def measure(env, month, stores):
    Report = env["tsl.store.report"]
    cr = env.cr
    out = {}
    rss0 = rss_mb()
    t0 = time.perf_counter()
    reports = Report._tsl_generate(month)
    out["generate_s"] = round(time.perf_counter() - t0, 2)
    out["reports"] = len(reports)
    out["rss_after_generate_mb"] = round(rss_mb(), 1)
    cr.execute(
        "SELECT COUNT(*) FROM mail_activity WHERE res_model = 'tsl.store.report'"
    )
    out["plan_activities"] = cr.fetchone()[0]
    log(
        f"generation: {out['generate_s']} s for {len(reports)} reports, "
        f"{out['plan_activities']} plan activities"
    )
    bench = reports.filtered(lambda r: r.store_id.code.startswith("BS"))
    # a tenth of the stores, then all of them: same heap peak when streaming
    tenth = bench[: max(len(bench) // 10, 1)]
    tracemalloc.start()
    tenth._tsl_xlsx_content()
    out["heap_peak_tenth_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    tracemalloc.start()
    bench._tsl_xlsx_content()
    out["heap_peak_all_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    rss1 = rss_mb()
    t0 = time.perf_counter()
    content = bench._tsl_xlsx_content()
    out["export_s"] = round(time.perf_counter() - t0, 2)
    out["rss_before_export_mb"] = round(rss1, 1)
    out["rss_after_export_mb"] = round(rss_mb(), 1)
    out["rss_start_mb"] = round(rss0, 1)
    out["xlsx_bytes"] = len(content)
    log(
        f"export: {out['export_s']} s, {len(content) / 2**20:.1f} MB, "
        f"heap peak {out['heap_peak_tenth_mb']} MB ({len(tenth)} stores) vs "
        f"{out['heap_peak_all_mb']} MB ({len(bench)} stores)"
    )
    # check the workbook against SQL
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    failed_rows = sum(1 for _row in workbook.worksheets[1].iter_rows()) - 1
    cr.execute(
        """SELECT COUNT(*) FILTER (WHERE state != 'cancelled'),
                  COUNT(*) FILTER (WHERE outcome = 'reached')
             FROM tsl_call c JOIN tsl_store s ON s.id = c.store_id
            WHERE s.code LIKE 'BS%%' AND c.week_start >= %s
              AND c.week_start < %s""",
        (month, date(month.year + month.month // 12, month.month % 12 + 1, 1)),
    )
    calls, reached = cr.fetchone()
    total = rows[-1]
    assert len(rows) - 2 == len(bench) == stores, (len(rows), len(bench))
    assert total[4] == calls and total[5] == reached, (total, calls, reached)
    assert failed_rows == calls - reached, (failed_rows, calls - reached)
    out["calls"] = calls
    out["reached"] = reached
    out["failed_rows"] = failed_rows
    log(f"workbook checked: {len(bench)} stores, {calls} calls, {failed_rows} failed")
    cr.rollback()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--db", default="tsl_c6b_bench")
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--calls", type=int, default=300000)
    parser.add_argument("--month", default="2026-03")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    if not args.db.startswith("tsl_c6b_") and not args.db.startswith("tsl_bench"):
        raise SystemExit("the database name must start with tsl_c6b_ or tsl_bench")
    month = date.fromisoformat(args.month + "-01")
    ensure_db(args.db)
    registry = open_registry(args.db)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        cr.execute(
            "SELECT COUNT(*) FROM tsl_call WHERE week_start >= %s AND week_start < %s",
            (month, date(month.year + month.month // 12, month.month % 12 + 1, 1)),
        )
        if not cr.fetchone()[0]:
            t0 = time.perf_counter()
            generate(env, args.stores, args.calls, month)
            log(f"data generated in {time.perf_counter() - t0:.1f} s")
        out = measure(env, month, args.stores)
    out["machine"] = machine_note()
    out["target"] = "generation + export < 30 s, flat memory"
    out["ok"] = out["generate_s"] + out["export_s"] < 30
    print(json.dumps(out, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
