#!/usr/bin/env python3
"""The weekly call-list build (tsl_callcenter) vs a bare SQL selection of
the same reasons.

    python3 tests/bench/bench_call_lists.py -d tsl_bench_cc [--week 2026-11-23]

Needs a database with tsl_callcenter installed and generated members (see
tests/bench/README.md, "Weekly call lists"). Data the generator does not make
(grades, last purchases, deposits, phone refusals, an event, POS lines of a
maintenance category) is added by SQL first when missing, and committed, so
a second run measures the same data.

Then, in one transaction rolled back at the end (the database is unchanged):

* bare: every reason's SELECT of the build (tsl.call.list._reason_queries,
  the very same SQL: birthday, special day, renewal, reward application,
  gift collection, referral, reactivation, maintenance, deposit pickup,
  festival, events, store anniversaries) run as ``SELECT count(*)`` — no
  staging, no filter, no write;
* build: tsl.call.list._build_week(week, all stores): the same selections
  (each by CREATE TABLE AS, with the bare SELECT's parallel plan) into the
  staging table, the heartbeat / consent / contact-cap filters, the INSERTs
  of the lists, calls and reason lines, then flush.

Each is run --repeat times (default 2), each round in its own transaction,
rolled back, the call tables vacuumed between rounds; the best times are
reported, with the ratio build / bare of the best times and the median of
the rounds' ratios (other work on the machine makes single rounds swing by
a third).
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta

from benchlib import (
    autocommit_connection,
    machine_note,
    open_registry,
    print_table,
    write_json,
)


def ensure_data(env, week_start, seed=42):
    """Add by SQL what the member generator does not make. Idempotent."""
    cr = env.cr
    rng = random.Random(seed)
    notes = []
    cr.execute("SELECT count(*) FROM res_partner WHERE tsl_grade IS NOT NULL")
    if not cr.fetchone()[0]:
        cr.execute(
            """
            UPDATE res_partner SET tsl_grade = CASE
                WHEN random() < 0.10 THEN 'A' WHEN random() < 0.35 THEN 'B' ELSE 'C' END
             WHERE tsl_member_state IS NOT NULL
            """
        )
        notes.append(f"grades A/B/C ~10/30/60% on {cr.rowcount} members")
        cr.commit()
    cr.execute(
        "SELECT count(*) FROM res_partner WHERE tsl_last_purchase_date IS NOT NULL"
    )
    if not cr.fetchone()[0]:
        cr.execute(
            """
            UPDATE res_partner p SET tsl_last_purchase_date = o.last::date
              FROM (SELECT partner_id, max(date_order) AS last FROM pos_order
                     WHERE partner_id IS NOT NULL GROUP BY partner_id) o
             WHERE p.id = o.partner_id
            """
        )
        notes.append(
            f"last purchase date of {cr.rowcount} members from their POS orders"
        )
    cr.execute("SELECT count(*) FROM tsl_deposit")
    if not cr.fetchone()[0]:
        cr.execute(
            """
        INSERT INTO tsl_deposit (name, partner_id, store_id, reason, description, state,
                                     deposit_date, pickup_date, quantity, create_date,
                                     write_date, create_uid, write_uid)
         SELECT 'DEP/BENCH/' || p.id, p.id, p.tsl_store_id, 'resizing', 'Ring resizing',
                   'deposited', %(d0)s::date - (random() * 60)::int,
                   %(d0)s::date + (random() * 60)::int - 20, 1,
                   now(), now(), 1, 1
              FROM res_partner p
             WHERE p.tsl_member_state IS NOT NULL AND p.id %% 50 = 0
            """,
            {"d0": week_start},
        )
        notes.append(f"{cr.rowcount} deposits at the store (2% of members)")
        cr.commit()
    cr.execute("SELECT count(*) FROM tsl_member_consent WHERE channel = 'phone'")
    if not cr.fetchone()[0]:
        cr.execute(
            """
            INSERT INTO tsl_member_consent (partner_id, channel, consent, date, source,
                                          store_id, create_date, write_date, create_uid,
                                            write_uid)
         SELECT p.id, 'phone', FALSE, now(), 'store', p.tsl_store_id, now(), now(), 1, 1
              FROM res_partner p
             WHERE p.tsl_member_state IS NOT NULL AND p.id % 50 = 7
            """
        )
        notes.append(f"{cr.rowcount} members refused calls (2%)")
    if not env["tsl.store.event"].search_count([("name", "=", "Bench brand event")]):
        stores = env["tsl.store"].search([], limit=50)
        env["tsl.store.event"].create(
            {
                "name": "Bench brand event",
                "event_type": "brand_event",
                "date": week_start + timedelta(days=9),
                "store_ids": [(6, 0, stores.ids)],
            }
        )
        notes.append("a brand event next week in 50 stores (A and B members)")
    Categ = env["product.category"]
    categ = Categ.search([("name", "=", "Bench diamonds")], limit=1)
    if not categ:
        categ = Categ.create(
            {
                "name": "Bench diamonds",
                "tsl_maintenance_months": 6,
                "tsl_care_advice": "Free cleaning every six months.",
            }
        )
        product = env["product.product"].create(
            {"name": "Bench diamond ring", "categ_id": categ.id, "list_price": 1000}
        )
        env.flush_all()
        # one line on every POS order of the weeks 6 and 12 months back
        cr.execute(
            """
            INSERT INTO pos_order_line (order_id, product_id, name, qty, price_unit,
                                       price_subtotal, price_subtotal_incl, create_date,
                                        write_date, create_uid, write_uid)
            SELECT o.id, %(product)s, 'Bench diamond ring', 1, o.amount_total,
                   o.amount_total, o.amount_total, now(), now(), 1, 1
              FROM pos_order o
           WHERE o.date_order >= %(ws)s::date - interval '12 months' - interval '7 days'
              AND o.date_order < %(ws)s::date - interval '6 months' + interval '14 days'
            """,
            {"product": product.id, "ws": week_start},
        )
        notes.append(
            f"{cr.rowcount} POS lines of a category with a 6-month maintenance"
        )
    rng.random()
    env.flush_all()
    cr.commit()
    if notes:
        cr.execute("ANALYZE")
    return notes


def time_bare(env, week_start, stores):
    CallList = env["tsl.call.list"]
    queries = CallList._reason_queries(week_start, stores)
    from odoo.tools import SQL

    counts = {}
    start = time.perf_counter()
    for code, query in queries:
        env.cr.execute(SQL("SELECT count(*) FROM (%s) AS q", query))
        counts[code] = counts.get(code, 0) + env.cr.fetchone()[0]
    return time.perf_counter() - start, counts


def time_build(env, week_start, stores):
    cr = env.cr
    start = time.perf_counter()
    calls = env["tsl.call.list"]._build_week(week_start, stores)
    env.flush_all()
    elapsed = time.perf_counter() - start
    cr.execute(
        "SELECT count(*) FROM tsl_call_reason r JOIN tsl_call c ON c.id = r.call_id "
        "WHERE c.week_start = %s",
        (week_start,),
    )
    reasons = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM tsl_call_list WHERE week_start = %s", (week_start,)
    )
    lists = cr.fetchone()[0]
    return elapsed, calls, reasons, lists


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--db", default="tsl_bench_cc")
    parser.add_argument("--week", help="Monday of the week (default: this week)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    registry = open_registry(args.db)
    from odoo import SUPERUSER_ID, api

    today = date.today()
    week_start = (
        date.fromisoformat(args.week)
        if args.week
        else today - timedelta(days=today.weekday())
    )
    if week_start.weekday() != 0:
        sys.exit("--week must be a Monday")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "tsl.call.list" not in env:
            sys.exit(f"tsl_callcenter is not installed in {args.db}")
        for note in ensure_data(env, week_start):
            print("data:", note)
        stores_count = env["tsl.store"].search_count([])
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE tsl_member_state IS NOT NULL"
        )
        members = cr.fetchone()[0]
    print(f"{members} members, {stores_count} stores, week of {week_start}")
    print(machine_note())
    bare_times, build_times = [], []
    counts = result = None
    for _i in range(args.repeat):
        # each round in its own transaction, rolled back; the dead rows it
        # leaves are vacuumed so that every round starts from the same tables
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            stores = env["tsl.store"].search([])
            elapsed, counts = time_bare(env, week_start, stores)
            bare_times.append(elapsed)
            elapsed, *result = time_build(env, week_start, stores)
            build_times.append(elapsed)
            cr.rollback()
        conn = autocommit_connection(args.db)
        with conn.cursor() as vcr:
            vcr.execute("VACUUM ANALYZE tsl_call, tsl_call_reason, tsl_call_list")
        conn.close()
        bare_s, build_s = bare_times[-1], build_times[-1]
        print(
            f"round {_i + 1}: bare {bare_s:.2f} s, build {build_s:.2f} s, "
            f"ratio {build_s / bare_s:.2f}x"
        )
    bare, build = min(bare_times), min(build_times)
    calls, reasons, lists = result
    rows = [
        ["bare SQL selection of the reasons", f"{bare:.2f} s", sum(counts.values())],
        ["weekly build (lists, calls, reasons)", f"{build:.2f} s", calls],
    ]
    print_table(["", "best of %d" % args.repeat, "rows / calls"], rows)
    print("reasons selected:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"{lists} lists, {calls} calls, {reasons} reason lines")
    ratios = sorted(b / a for a, b in zip(bare_times, build_times, strict=True))
    median = ratios[len(ratios) // 2]
    print(
        f"ratio build / bare: best {build / bare:.2f}x, median of the rounds "
        f"{median:.2f}x (target <= 3x, build < 60 s)"
    )
    if args.json:
        write_json(
            args.json,
            {
                "members": members,
                "stores": stores_count,
                "week": str(week_start),
                "bare_s": bare_times,
                "build_s": build_times,
                "ratio": build / bare,
                "ratio_median": median,
                "calls": calls,
                "reasons": reasons,
                "lists": lists,
                "selected": counts,
            },
        )


if __name__ == "__main__":
    main()
