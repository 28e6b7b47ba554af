#!/usr/bin/env python3
"""The nightly member job vs the bare SQL it cannot do without.

    python3 tests/bench/bench_nightly.py -d tsl_bench

Times env['res.partner']._cron_tsl_member_nightly() — and each of its steps
(the one-pass snapshot of what changes, the write of the members that
change and of the grade history, temporary→formal, special dates) — twice,
on a copy of the database (CREATE DATABASE … TEMPLATE, dropped at the end:
the benchmark can be re-run on the same data):

* run 1: the first night on the generated data: every member is graded
  (grade NULL → initial grade), statistics filled, lapses applied …;
  COMMIT, then VACUUM ANALYZE (what autovacuum does between two nights);
* one day of business: --new-orders POS orders (default 3,000 ≈ one day for
  1M members buying 3 times in 3 years), committed, VACUUM ANALYZE;
* the second night (today + 1) after another simulated day, committed: it
  re-reads the members the first night wrote through the ORM (its 28,000
  temporary→formal promotions), so it is not yet a steady state;
* run 2: the steady state, the third night (today + 2: the simulated day's
  orders are new, a day of orders leaves the 12- and 24-month windows, a
  day of members crosses the downgrade and lapse limits): an incremental
  night, which reads only those members (res.partner._tsl_nightly_scope);
* run 3: the weekly full pass of that same night (context
  tsl_nightly_full), rolled back.

The job runs as the cron's user (ir.cron.user_id, OdooBot).  A run's time
is the job, then env.flush_all() (ORM writes still pending), then the
COMMIT the cron worker does.  --in-place runs all in one transaction of
the database itself, rolled back: no copy needed, but run 2 then scans the
dead rows run 1 left (pessimistic steady state).

Baseline — the minimum work the job must do, in bare SQL on the same tables:
the per-member aggregate of the POS and sale orders (12-month spend, count,
last purchase) and a CASE grade over it, materialised in a temp table
("bare aggregate"), timed before each run (warm cache, best of 2); the ratio
job / baseline is reported for both runs.  Also shown for information: the
same plus one UPDATE writing the grade and spend on every member whose
values differ ("bare aggregate + write").
"""

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import timedelta

from benchlib import (
    autocommit_connection,
    db_exists,
    machine_note,
    open_registry,
    print_table,
    write_json,
)

STEPS = [
    "_tsl_nightly_scope",
    "_tsl_nightly_snapshot",
    "_tsl_nightly_write",
    "_tsl_promote_temporary_members",
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


def run_job(env, label, today, full=False):
    timings = defaultdict(float)
    Partner = env["res.partner"].with_context(tsl_nightly_full=full)
    restore = instrument(type(Partner), timings)
    try:
        start = time.perf_counter()
        stats = Partner._cron_tsl_member_nightly(today=today)
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


def copy_database(source, target):
    """CREATE DATABASE target TEMPLATE source (target dropped first)."""
    conn = autocommit_connection("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
            cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    finally:
        conn.close()


def fields_date(value):
    from odoo import fields

    return fields.Date.to_date(value)


def release(name):
    """Close this process's connections to the database ``name``."""
    import odoo
    from odoo.modules.registry import Registry

    Registry.delete(name)
    odoo.sql_db.close_db(name)


def drop_database(name):
    release(name)
    conn = autocommit_connection("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        conn.close()


def vacuum(db):
    start = time.perf_counter()
    conn = autocommit_connection(db)
    try:
        with conn.cursor() as cr:
            for table in TOUCHED_TABLES:
                cr.execute(f'VACUUM ANALYZE "{table}"')
    finally:
        conn.close()
    return time.perf_counter() - start


def job_env(cr):
    """Environment of the cron's user (OdooBot unless changed)."""
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("tsl_crm.ir_cron_tsl_member_nightly", raise_if_not_found=False)
    uid = cron.user_id.id if cron and cron.user_id else SUPERUSER_ID
    return api.Environment(cr, uid, {"lang": "en_US"})


def describe(env, db):
    cr = env.cr
    cr.execute(
        """SELECT (SELECT count(*) FROM res_partner
                   WHERE tsl_member_state IS NOT NULL),
                  (SELECT count(*) FROM res_partner WHERE tsl_grade IS NOT NULL),
                  (SELECT count(*) FROM pos_order),
                  (SELECT count(*) FROM sale_order)"""
    )
    members, graded, pos_orders, sale_orders = cr.fetchone()
    print(
        f"database {db}: {members} members ({graded} graded), {pos_orders} POS "
        f"orders, {sale_orders} sale orders; cron user uid {env.uid}; "
        f"{machine_note()}",
        flush=True,
    )
    if graded:
        print("note: some members are graded already: run 1 is not a first grading")
    return members, pos_orders, sale_orders


def measure_bare(env, label, today):
    bare_sql(env, today, with_write=False, repeat=1)  # warm the cache
    bare = bare_sql(env, today, with_write=False)
    bare_write = bare_sql(env, today, with_write=True, repeat=1)
    print(
        f"  {label}: bare aggregate {bare:.1f} s; "
        f"bare aggregate + write {bare_write:.1f} s",
        flush=True,
    )
    return bare, bare_write


def bench_days():
    """Run 1 tonight, run 2 (and 3) the night after: the orders of the
    simulated day were written between them, and a day of orders leaves the
    12- and 24-month windows, as on a real night."""
    from odoo import fields

    day1 = fields.Date.today()
    return day1, day1 + timedelta(days=1)


def marker_started(cr):
    """When the last nightly job started (its marker)."""
    cr.execute(
        "SELECT value FROM ir_config_parameter WHERE key = %s",
        ["tsl_crm.nightly_marker"],
    )
    return json.loads(cr.fetchone()[0])["started"]


AGED_TABLES = ("res_partner", "pos_order", "sale_order", "tsl_member_tier")


def age_rows(cr, start, end):
    """The nights of this benchmark run minutes apart, real ones a day
    apart: the rows written from the first night's start until the second
    night started are moved back one day, as if written the day before. The
    third night then reads what it would read in production: the second
    night's own writes and the day's orders, not the first night's 28,000
    promotions (which the incremental scope's one-hour margin would still
    cover)."""
    moved = []
    for table in AGED_TABLES:
        cr.execute(
            f"UPDATE \"{table}\" SET write_date = write_date - interval '1 day' "
            "WHERE write_date >= %s AND write_date < %s",
            [start, end],
        )
        moved.append(f"{table} {cr.rowcount}")
    return "rows aged one day (written between the first and second night): " + (
        ", ".join(moved)
    )


def run_on_copy(args):
    """Run 1, COMMIT, VACUUM, one day of orders, run 2, COMMIT, then the
    weekly full pass (run 3, rolled back) — on a copy."""
    copy = args.copy_name or f"{args.database}_nightly"
    day1, day2 = bench_days()
    graded = args.graded and db_exists(args.graded)
    source = args.graded if graded else args.database
    start = time.perf_counter()
    copy_database(source, copy)
    print(f"  copy {copy} of {source}: {time.perf_counter() - start:.1f} s")
    try:
        registry = open_registry(copy)
        with registry.cursor() as cr:
            env = job_env(cr)
            members, pos_orders, sale_orders = describe(env, copy)
            if graded:
                print(f"  run 1 skipped: {source} holds its result", flush=True)
                cr.execute(
                    "SELECT value FROM ir_config_parameter WHERE key = %s",
                    ["tsl_crm.nightly_marker"],
                )
                day2 = fields_date(json.loads(cr.fetchone()[0])["today"])
                day2 += timedelta(days=1)
                bare1 = bare_write = total1 = commit1 = total1b = float("nan")
                steps1, stats1 = {}, {}
            else:
                bare1, bare_write = measure_bare(env, "before run 1", day1)
                total1, steps1, stats1 = run_job(env, "run 1 (first grading)", day1)
                t0 = time.perf_counter()
                cr.commit()
                commit1 = time.perf_counter() - t0
        if not graded:
            print(f"  run 1 COMMIT: {commit1:.1f} s", flush=True)
            print(f"  VACUUM ANALYZE after run 1: {vacuum(copy):.1f} s", flush=True)
            # the second night re-reads the members the first night wrote
            # through the ORM (28,000 promotions): not a steady state yet
            with registry.cursor() as cr:
                env = job_env(cr)
                print(f"  simulated day: {simulate_day(env, args.new_orders)} orders")
                cr.commit()
            print(f"  VACUUM ANALYZE: {vacuum(copy):.1f} s", flush=True)
            with registry.cursor() as cr:
                night1 = marker_started(cr)
                total1b, _steps, _stats = run_job(job_env(cr), "second night", day2)
                cr.commit()
                print(f"  {age_rows(cr, night1, marker_started(cr))}", flush=True)
                cr.commit()
            print(f"  VACUUM ANALYZE: {vacuum(copy):.1f} s", flush=True)
            day2 += timedelta(days=1)
            if args.graded:
                release(copy)
                copy_database(copy, args.graded)
                print(f"  kept the graded copy as {args.graded}", flush=True)
                from odoo.modules.registry import Registry

                registry = Registry(copy)
        with registry.cursor() as cr:
            env = job_env(cr)
            print(
                f"  simulated day: {simulate_day(env, args.new_orders)} new POS orders"
            )
            cr.commit()
        print(f"  VACUUM ANALYZE (autovacuum's work): {vacuum(copy):.1f} s", flush=True)
        with registry.cursor() as cr:
            env = job_env(cr)
            bare2, _bw = measure_bare(env, "before run 2", day2)
            total2, steps2, stats2 = run_job(env, "run 2 (steady state)", day2)
            t0 = time.perf_counter()
            cr.commit()
            commit2 = time.perf_counter() - t0
        print(f"  run 2 COMMIT: {commit2:.1f} s", flush=True)
        with registry.cursor() as cr:
            env = job_env(cr)
            total3, steps3, stats3 = run_job(
                env, "run 3 (weekly full pass, same night)", day2, full=True
            )
            cr.rollback()
    finally:
        if args.keep_copy:
            print(f"  copy {copy} kept")
        else:
            drop_database(copy)
    return {
        "members": members,
        "pos_orders": pos_orders,
        "sale_orders": sale_orders,
        "bare": (bare1, bare2),
        "bare_write": bare_write,
        "run1": (total1 + commit1, steps1, stats1, commit1),
        "run2": (total2 + commit2, steps2, stats2, commit2),
        "run3": (total3, steps3, stats3, 0.0),
        "second_night_s": total1b,
        "mode": "copy",
    }


def run_in_place(args):
    """Both runs in one transaction of the database itself, rolled back."""
    day1, day2 = bench_days()
    registry = open_registry(args.database)
    with registry.cursor() as cr:
        env = job_env(cr)
        members, pos_orders, sale_orders = describe(env, args.database)
        bare, bare_write = measure_bare(env, "baseline", day1)
        total1, steps1, stats1 = run_job(env, "run 1 (first grading)", day1)
        print(f"  simulated day: {simulate_day(env, args.new_orders)} new POS orders")
        total2, steps2, stats2 = run_job(env, "run 2 (steady state)", day2)
        total3, steps3, stats3 = run_job(env, "run 3 (full pass)", day2, full=True)
        cr.rollback()
        print("  rolled back", flush=True)
    if not args.no_vacuum:
        print(f"  VACUUM ANALYZE of the touched tables: {vacuum(args.database):.1f} s")
    return {
        "members": members,
        "pos_orders": pos_orders,
        "sale_orders": sale_orders,
        "bare": (bare, bare),
        "bare_write": bare_write,
        "run1": (total1, steps1, stats1, 0.0),
        "run2": (total2, steps2, stats2, 0.0),
        "run3": (total3, steps3, stats3, 0.0),
        "mode": "in-place",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsl_bench")
    parser.add_argument(
        "--new-orders", type=int, default=3000, help="orders of the simulated day"
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="run both in one transaction of the database, rolled back (run 2 "
        "then sees run 1's dead rows: pessimistic) instead of on a copy",
    )
    parser.add_argument("--copy-name", help="name of the copy (default <db>_nightly)")
    parser.add_argument("--keep-copy", action="store_true")
    parser.add_argument(
        "--graded",
        metavar="NAME",
        help="database keeping the result of run 1 (made on the first use, "
        "then copied instead of running run 1 again: repeat the steady-state "
        "measurement in a minute); its name must start with tsl_bench",
    )
    parser.add_argument("--no-vacuum", action="store_true", help="(--in-place)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    if args.copy_name and not args.copy_name.startswith("tsl_bench"):
        parser.error("the copy's name must start with tsl_bench")
    if args.graded and not args.graded.startswith("tsl_bench"):
        parser.error("the graded database's name must start with tsl_bench")

    res = run_in_place(args) if args.in_place else run_on_copy(args)
    members, pos_orders, sale_orders = (
        res["members"],
        res["pos_orders"],
        res["sale_orders"],
    )
    bare1, bare2 = res["bare"]
    bare_write = res["bare_write"]
    total1, steps1, stats1, commit1 = res["run1"]
    total2, steps2, stats2, commit2 = res["run2"]
    total3, steps3, stats3, _commit3 = res["run3"]
    print()
    rows = [
        [
            name,
            f"{steps1.get(name, 0):.2f}",
            f"{steps2.get(name, 0):.2f}",
            f"{steps3.get(name, 0):.2f}",
        ]
        for name in STEPS
    ]
    other1 = total1 - commit1 - sum(steps1.values())
    other2 = total2 - commit2 - sum(steps2.values())
    other3 = total3 - sum(steps3.values())
    rows.append(
        ["(flush, logging, other)", f"{other1:.2f}", f"{other2:.2f}", f"{other3:.2f}"]
    )
    rows.append(["COMMIT", f"{commit1:.2f}", f"{commit2:.2f}", "(rolled back)"])
    rows.append(
        ["nightly job total", f"{total1:.2f}", f"{total2:.2f}", f"{total3:.2f}"]
    )
    rows.append(
        ["bare aggregate (baseline)", f"{bare1:.2f}", f"{bare2:.2f}", f"{bare2:.2f}"]
    )
    rows.append(
        [
            "ratio job / bare aggregate",
            f"{total1 / bare1:.1f}x",
            f"{total2 / bare2:.1f}x",
            f"{total3 / bare2:.1f}x",
        ]
    )
    rows.append(["bare aggregate + write (info)", f"{bare_write:.2f}", "", ""])
    rows.append(
        [
            "members read (scope)",
            str(stats1.get("scope")),
            str(stats2.get("scope")),
            str(stats3.get("scope")),
        ]
    )
    print_table(
        [
            "step (seconds)",
            "run 1: first grading",
            "run 2: next night",
            "run 3: weekly full pass",
        ],
        rows,
    )
    runs = (
        ("run 1", total1, bare1),
        ("run 2", total2, bare2),
        ("run 3", total3, bare2),
    )
    ok = {label: total <= 60.0 and total <= 2.0 * bare for label, total, bare in runs}
    for label, total, bare in runs:
        print(
            f"target {label}: <= 2x bare ({2 * bare:.1f} s) and < 60 s: "
            f"{'OK' if ok[label] else 'MISSED'} ({total:.1f} s)"
        )
    if res.get("second_night_s") == res.get("second_night_s"):  # not NaN
        print(f"second night (no target): {res['second_night_s']:.1f} s")
    print(machine_note())

    write_json(
        args.json,
        {
            "database": args.database,
            "mode": res["mode"],
            "members": members,
            "pos_orders": pos_orders,
            "sale_orders": sale_orders,
            "bare_aggregate_s": bare1,
            "bare_aggregate_run2_s": bare2,
            "bare_aggregate_write_s": bare_write,
            "run1": {
                "total_s": total1,
                "commit_s": commit1,
                "steps_s": steps1,
                "stats": stats1,
                "ok": ok["run 1"],
                "bare_s": bare1,
            },
            "run2": {
                "total_s": total2,
                "commit_s": commit2,
                "steps_s": steps2,
                "stats": stats2,
                "ok": ok["run 2"],
                "bare_s": bare2,
            },
            "run3": {
                "total_s": total3,
                "steps_s": steps3,
                "stats": stats3,
                "ok": ok["run 3"],
                "bare_s": bare2,
            },
            "new_orders": args.new_orders,
            "machine": machine_note(),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
