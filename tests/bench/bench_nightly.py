#!/usr/bin/env python3
"""The nightly member job vs the bare SQL it cannot do without.

    python3 tests/bench/bench_nightly.py -d tsl_bench

Times env['res.partner']._cron_tsl_member_nightly() — and each of its steps
(purchase statistics, grading, temporary→formal, lapse, renewal, special
dates) — twice, in ONE transaction that is rolled back at the end, so the
benchmark can be re-run on the same data:

* run 1: the first night on the generated data: every member is graded
  (grade NULL → initial grade), statistics filled, lapses applied …;
* then one day of business is simulated (--new-orders POS orders, default
  3,000 ≈ one day for 1M members buying 3 times in 3 years);
* run 2: the steady state: the same job with few changes.

The job runs as the cron's user (ir.cron.user_id, OdooBot).  Each run ends
with env.flush_all() so that ORM writes still pending count; the COMMIT the
cron worker would do is not timed (the transaction is rolled back).

Baseline — the minimum work the job must do, in bare SQL on the same tables:
the per-member aggregate of the POS and sale orders (12-month spend, count,
last purchase) and a CASE grade over it, materialised in a temp table
("bare aggregate"); the ratio job / baseline is reported for both runs.
Also shown for information: the same plus one UPDATE writing the grade and
spend on every member whose values differ ("bare aggregate + write").

After the rollback, VACUUM ANALYZE clears the dead rows the runs left
(--no-vacuum to skip).
"""

import argparse
import sys
import time
from collections import defaultdict

from benchlib import (
    autocommit_connection,
    open_registry,
    print_table,
    write_json,
)

STEPS = [
    "_tsl_refresh_purchase_stats",
    "_tsl_grade_members",
    "_tsl_promote_temporary_members",
    "_tsl_update_lapse",
    "_tsl_update_renewal",
    "_tsl_roll_special_dates",
]
TOUCHED_TABLES = [
    "res_partner",
    "tsl_grade_change",
    "mail_message",
    "mail_activity",
    "mail_tracking_value",
    "mail_followers",
    "tsl_special_date",
    "pos_order",
]

BARE_AGGREGATE = """
CREATE TEMP TABLE tsl_bench_bare ON COMMIT DROP AS
SELECT partner_id, spend_12m, total, n_orders, last_purchase,
       CASE WHEN spend_12m >= %(a)s THEN 'A' WHEN spend_12m >= %(b)s THEN 'B'
           ELSE 'C' END AS grade
  FROM (SELECT partner_id,
               COALESCE(SUM(amount) FILTER (WHERE date_order >= %(d12)s),
                   0) AS spend_12m,
               SUM(amount) AS total, COUNT(*) AS n_orders,
                   MAX(date_order) AS last_purchase
          FROM (SELECT partner_id, date_order, amount_total AS amount FROM pos_order
                 WHERE partner_id IS NOT NULL AND state IN ('paid', 'done', 'invoiced')
                UNION ALL
                SELECT partner_id, date_order, amount_total FROM sale_order
                 WHERE partner_id IS NOT NULL AND state = 'sale') o
         GROUP BY partner_id) s
"""
BARE_WRITE = """
UPDATE res_partner p
   SET tsl_grade = b.grade, tsl_spend_12m = b.spend_12m
  FROM tsl_bench_bare b
 WHERE p.id = b.partner_id AND p.tsl_member_state IS NOT NULL
   AND (p.tsl_grade IS DISTINCT FROM b.grade
       OR p.tsl_spend_12m IS DISTINCT FROM b.spend_12m)
"""


def timed(cr, fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_sql(env, today, with_write, repeat=2):
    """Best of ``repeat`` timings, each in a savepoint rolled back."""
    from dateutil.relativedelta import relativedelta

    cr = env.cr
    company = env.company
    params = {
        "a": company.tsl_grade_a_points,
        "b": company.tsl_grade_b_points,
        "d12": today - relativedelta(months=12),
    }
    best = None
    for _ in range(repeat):
        cr.execute("SAVEPOINT tsl_bench_bare")

        def work():
            cr.execute(BARE_AGGREGATE, params)
            if with_write:
                cr.execute(BARE_WRITE)

        secs = timed(cr, work)
        cr.execute("ROLLBACK TO SAVEPOINT tsl_bench_bare")
        best = secs if best is None else min(best, secs)
    return best


def instrument(model_cls, timings):
    """Wrap the job's steps to time them; returns a function undoing it."""
    originals = {}
    for name in STEPS:
        orig = getattr(model_cls, name)
        originals[name] = orig

        def wrapper(self, *args, _orig=orig, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return _orig(self, *args, **kwargs)
            finally:
                timings[_name] += time.perf_counter() - start

        setattr(model_cls, name, wrapper)

    def restore():
        for name, orig in originals.items():
            setattr(model_cls, name, orig)

    return restore


def run_job(env, label):
    timings = defaultdict(float)
    Partner = env["res.partner"]
    restore = instrument(type(Partner), timings)
    try:
        start = time.perf_counter()
        stats = Partner._cron_tsl_member_nightly()
        env.flush_all()
        total = time.perf_counter() - start
    finally:
        restore()
    print(f"  {label}: {total:.1f} s  {stats}", flush=True)
    return total, dict(timings), stats


def simulate_day(env, n_orders):
    """One day of business: ``n_orders`` POS orders of random members today."""
    cr = env.cr
    cr.execute(
        "SELECT session_id, config_id, company_id FROM pos_order "
        "WHERE session_id IS NOT NULL LIMIT 1"
    )
    row = cr.fetchone()
    if not row:
        return 0
    session_id, config_id, company_id = row
    cr.execute(
        """
        INSERT INTO pos_order (name, pos_reference, session_id, config_id, company_id,
               user_id, partner_id, date_order, amount_total, amount_tax, amount_paid,
               amount_return, currency_rate, state, create_uid, write_uid, create_date,
               write_date)
        SELECT 'TSL Bench/day-' || p.g, 'Order day-' || p.g, %(session)s, %(config)s,
               %(company)s, 2, p.id, now() AT TIME ZONE 'UTC' - interval '2 hours',
               p.amount, round(p.amount * 13 / 113, 2), p.amount, 0, 1, 'paid', 2, 2,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM (SELECT r.id, row_number() OVER () AS g,
                       round(exp(ln(1200) + 0.9 * sqrt(-2 * ln(1 - random()))
                                 * cos(2 * pi() * random()))::numeric, 0) AS amount
                  FROM (SELECT id FROM res_partner WHERE tsl_member_state IS NOT NULL
                         ORDER BY random() LIMIT %(n)s) r) p
        """,
        {
            "session": session_id,
            "config": config_id,
            "company": company_id,
            "n": n_orders,
        },
    )
    return cr.rowcount


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsl_bench")
    parser.add_argument(
        "--new-orders", type=int, default=3000, help="orders of the simulated day"
    )
    parser.add_argument("--no-vacuum", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    from odoo import SUPERUSER_ID, api, fields

    registry = open_registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref("tsl_crm.ir_cron_tsl_member_nightly", raise_if_not_found=False)
        uid = cron.user_id.id if cron and cron.user_id else SUPERUSER_ID
        env = api.Environment(cr, uid, {"lang": "en_US"})
        today = fields.Date.context_today(env["res.partner"])
        cr.execute(
            """SELECT (SELECT count(*) FROM res_partner
                       WHERE tsl_member_state IS NOT NULL),
                      (SELECT count(*) FROM res_partner WHERE tsl_grade IS NOT NULL),
                      (SELECT count(*) FROM pos_order),
                      (SELECT count(*) FROM sale_order)"""
        )
        members, graded, pos_orders, sale_orders = cr.fetchone()
        print(
            f"database {args.database}: {members} members ({graded} graded), "
            f"{pos_orders} POS orders, {sale_orders} sale orders; cron user uid {uid}",
            flush=True,
        )
        if graded:
            print("note: some members are graded already: run 1 is not a first grading")

        # warm the cache with the bare aggregate, then time the baselines
        bare_sql(env, today, with_write=False, repeat=1)
        bare = bare_sql(env, today, with_write=False)
        bare_write = bare_sql(env, today, with_write=True, repeat=1)
        print(
            f"  bare aggregate: {bare:.1f} s; "
            f"bare aggregate + write: {bare_write:.1f} s",
            flush=True,
        )

        total1, steps1, stats1 = run_job(env, "run 1 (first grading)")
        added = simulate_day(env, args.new_orders)
        print(f"  simulated day: {added} new POS orders", flush=True)
        total2, steps2, stats2 = run_job(env, "run 2 (steady state)")
        cr.rollback()
        print("  rolled back", flush=True)

    if not args.no_vacuum:
        t0 = time.perf_counter()
        conn = autocommit_connection(args.database)
        with conn.cursor() as vcr:
            for table in TOUCHED_TABLES:
                vcr.execute(f'VACUUM ANALYZE "{table}"')
        conn.close()
        print(
            f"  VACUUM ANALYZE of the touched tables: {time.perf_counter() - t0:.1f} s"
        )

    print()
    rows = [
        [name, f"{steps1.get(name, 0):.2f}", f"{steps2.get(name, 0):.2f}"]
        for name in STEPS
    ]
    other1 = total1 - sum(steps1.values())
    other2 = total2 - sum(steps2.values())
    rows.append(["(flush, logging, other)", f"{other1:.2f}", f"{other2:.2f}"])
    rows.append(["_cron_tsl_member_nightly total", f"{total1:.2f}", f"{total2:.2f}"])
    rows.append(["bare aggregate (baseline)", f"{bare:.2f}", f"{bare:.2f}"])
    rows.append(
        ["ratio job / bare aggregate", f"{total1 / bare:.1f}x", f"{total2 / bare:.1f}x"]
    )
    rows.append(
        ["bare aggregate + write (info)", f"{bare_write:.2f}", f"{bare_write:.2f}"]
    )
    print_table(["step (seconds)", "run 1: first grading", "run 2: steady state"], rows)
    ok = {
        label: (total <= 60.0 and total <= 2.0 * bare)
        for label, total in (("run 1", total1), ("run 2", total2))
    }
    for label, total in (("run 1", total1), ("run 2", total2)):
        print(
            f"target {label}: <= 2x bare ({2 * bare:.1f} s) and < 60 s: "
            f"{'OK' if ok[label] else 'MISSED'} ({total:.1f} s)"
        )

    write_json(
        args.json,
        {
            "database": args.database,
            "members": members,
            "pos_orders": pos_orders,
            "sale_orders": sale_orders,
            "bare_aggregate_s": bare,
            "bare_aggregate_write_s": bare_write,
            "run1": {
                "total_s": total1,
                "steps_s": steps1,
                "stats": stats1,
                "ok": ok["run 1"],
            },
            "run2": {
                "total_s": total2,
                "steps_s": steps2,
                "stats": stats2,
                "ok": ok["run 2"],
            },
            "new_orders": args.new_orders,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
