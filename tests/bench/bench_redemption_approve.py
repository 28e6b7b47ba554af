#!/usr/bin/env python3
"""Bulk approval of redemption requests: 10,000 gift requests over 50 stores.

    python3 tests/bench/bench_redemption_approve.py [--db tsl_g7_bench]
        [--requests 10000] [--stores 50] [--gifts 2] [--keep] [--reuse]
        [--json FILE]

Builds a database (``python3 -m odoo -i tsl_loyalty --without-demo=all``):
an HQ warehouse and ``--stores`` stores with their own warehouse, an open
points reward with one band (50,000 points) offering ``--gifts`` gifts
(stored products), the gifts sealed at HQ for the campaign (as many as
requested), ``--requests`` members with 60,000 points each and one applied
request each (the band's 50,000 points locked in the ledger), spread evenly
over the stores and gifts. Members and ledger lines are created by batched
ORM calls, the requests by one INSERT … SELECT; everything is committed.

Then it measures, as an HQ user, each step in its own transaction:

* ``requests.action_approve()`` on all the applied requests at once (the
  list's bulk action): row locks, capacity check against the sealed stock,
  one transfer per store with one move per gift, reservation, chatter;
* ``allocations.action_ship()``: HQ validates the stores' transfers.

Reported: seconds and SQL queries per step, requests approved, transfers and
moves created (transfers must equal the number of stores), sealed stock
reserved then shipped. Target: approval under 30 s.

After the build the database is copied to ``<db>_tpl`` (a PostgreSQL
template): ``--reuse`` starts again from that copy (install and build
skipped: a few seconds instead of ~6 minutes). Both are dropped at the end
unless ``--keep``. ``--profile`` prints the cProfile of the approval. Names
must start with tsl_g7_.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time

from benchlib import (
    autocommit_connection,
    db_exists,
    drop_db,
    machine_note,
    odoo_addons_dir,
    open_registry,
    print_table,
    repo_addons_dir,
    write_json,
)

PROFILE = "--profile" in sys.argv


def log(msg):
    print(msg, flush=True)


def create_from_template(db, template):
    conn = autocommit_connection("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    finally:
        conn.close()


def install(db):
    addons = f"{odoo_addons_dir()},{repo_addons_dir()}"
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        db,
        f"--addons-path={addons}",
        "-i",
        "tsl_loyalty",
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
        "--max-cron-threads=0",
    ]
    log(f"== {db}: installing tsl_loyalty without demo data")
    started = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode or " ERROR " in proc.stdout + proc.stderr:
        log((proc.stdout + proc.stderr)[-3000:])
        raise SystemExit("installation failed")
    log(f"   installed in {time.time() - started:.0f} s")


def build(env, n_requests, n_stores, n_gifts):
    from odoo import fields
    from odoo.tools import SQL

    started = time.time()
    company = env.company
    admin = env.ref("base.user_admin")
    admin.groups_id += env.ref("tsl_crm.group_tsl_hq_crm")
    hq = env.ref("stock.warehouse0")
    company.tsl_materials_warehouse_id = hq
    area = env["tsl.area"].create({"name": "Bench Area", "code": "BENCH"})
    warehouses = env["stock.warehouse"].create(
        [{"name": f"Bench Store {n:03d}", "code": f"B{n:03d}"} for n in range(n_stores)]
    )
    stores = env["tsl.store"].create(
        [
            {
                "name": f"Bench Store {n:03d}",
                "code": f"B{n:03d}",
                "area_id": area.id,
                "warehouse_id": wh.id,
            }
            for n, wh in enumerate(warehouses)
        ]
    )
    log(f"   {n_stores} stores with warehouses: {time.time() - started:.0f} s")
    gifts = env["product.product"].create(
        [
            {
                "name": f"Bench Gift {n}",
                "type": "consu",
                "is_storable": True,
                "sale_ok": False,
                "standard_price": 80.0,
            }
            for n in range(n_gifts)
        ]
    )
    today = fields.Date.context_today(env.user)
    year = env["tsl.points.year"]._tsl_for_date(today)
    campaign = env["tsl.reward.campaign"].create(
        {
            "name": "Bench Points Reward",
            "points_year_id": year.id,
            "date_from": today,
            "date_to": today,
            "marketing_email": "marketing@bench.example.com",
            "band_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Second Prize",
                        "min_points": 50000,
                        "option_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": gift.name,
                                    "option_type": "gift",
                                    "product_id": gift.id,
                                },
                            )
                            for gift in gifts
                        ],
                    },
                )
            ],
        }
    )
    campaign.action_open()
    band = campaign.band_ids
    options = band.option_ids
    per_gift = -(-n_requests // n_gifts)
    for gift in gifts:
        env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": gift.id,
                "location_id": hq.lot_stock_id.id,
                "inventory_quantity": per_gift + 100,
            }
        ).action_apply_inventory()
        seal = env["tsl.gift.seal"].create(
            {"campaign_id": campaign.id, "product_id": gift.id, "warehouse_id": hq.id}
        )
        seal.tsl_seal(per_gift)
    log(f"   campaign, gifts sealed: {time.time() - started:.0f} s")
    partner_ids = []
    for start in range(0, n_requests, 2000):
        members = env["res.partner"].create(
            [
                {
                    "name": f"Bench Member {n:05d}",
                    "tsl_member_state": "formal",
                    "tsl_member_number": f"B{n:07d}",
                    "tsl_store_id": stores[n % n_stores].id,
                }
                for n in range(start, min(start + 2000, n_requests))
            ]
        )
        partner_ids += members.ids
        env["tsl.points.move"]._tsl_post(
            [
                {
                    "partner_id": pid,
                    "year_id": year.id,
                    "move_type": "earn",
                    "points": 60000,
                    "source_key": f"bench:{pid}",
                }
                for pid in members.ids
            ]
        )
    log(f"   {n_requests} members with 60,000 points: {time.time() - started:.0f} s")
    env.flush_all()
    env.cr.execute(
        SQL(
            """
        INSERT INTO tsl_redemption_request
               (name, request_type, partner_id, member_store_id, area_id,
                campaign_id, band_id, option_id, channel, store_id, points,
                year_points, state, date_applied, user_id, company_id, quantity,
                seal_key, create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || lpad(p.n::text, 6, '0'), 'points', p.id,
               p.tsl_store_id, %(area)s, %(campaign)s, %(band)s,
               (%(options)s)[1 + mod(p.n / %(n_stores)s, %(n_gifts)s)],
               'sms', p.tsl_store_id,
               50000, 60000, 'applied',
               now() AT TIME ZONE 'UTC' - (p.n || ' seconds')::interval,
               %(uid)s, %(company)s, 1, %(key)s,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
          FROM (SELECT id, tsl_store_id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM res_partner WHERE id = ANY(%(partners)s)) p
        RETURNING id, name, partner_id
            """,
            area=area.id,
            campaign=campaign.id,
            band=band.id,
            options=options.ids,
            n_gifts=n_gifts,
            n_stores=n_stores,
            uid=admin.id,
            company=company.id,
            key=f"campaign:{campaign.id}",
            partners=partner_ids,
        )
    )
    rows = env.cr.fetchall()
    env["tsl.points.move"]._tsl_post(
        [
            {
                "partner_id": partner_id,
                "year_id": year.id,
                "move_type": "lock",
                "points": -50000,
                "locked": 50000,
                "origin": name,
                "reason": f"Locked for {name}",
            }
            for _id, name, partner_id in rows
        ]
    )
    env["tsl.redemption.request"].invalidate_model()
    log(
        f"   {len(rows)} applied requests, points locked: {time.time() - started:.0f} s"
    )


def measure(registry, uid):
    from odoo import api

    figures = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        Request = env["tsl.redemption.request"]
        requests = Request.search([("state", "=", "applied")])
        cr.sql_log_count = 0
        profiler = cProfile.Profile() if PROFILE else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        requests.action_approve()
        env.flush_all()
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        queries = cr.sql_log_count
        approved = requests.filtered(lambda r: r.state == "approved")
        allocations = approved.allocation_id
        pickings = allocations.picking_id
        figures["approve"] = {
            "requests": len(requests),
            "approved": len(approved),
            "seconds": round(elapsed, 2),
            "queries": queries,
            "pickings": len(pickings),
            "moves": len(pickings.move_ids),
            "stores": len(set(approved.mapped("store_id.id"))),
            "reserved": sum(pickings.move_ids.mapped("quantity")),
        }
        cr.commit()
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        allocations = env["tsl.gift.allocation"].search([("state", "=", "open")])
        cr.sql_log_count = 0
        started = time.perf_counter()
        allocations.action_ship()
        env.flush_all()
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count
        shipped = env["tsl.redemption.request"].search_count(
            [("state", "=", "shipped")]
        )
        figures["ship"] = {
            "allocations": len(allocations),
            "seconds": round(elapsed, 2),
            "queries": queries,
            "requests_shipped": shipped,
            "pickings_done": len(
                allocations.picking_id.filtered(lambda p: p.state == "done")
            ),
        }
        cr.commit()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="tsl_g7_bench")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--stores", type=int, default=50)
    parser.add_argument("--gifts", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--profile", action="store_true", help="cProfile the approval")
    args = parser.parse_args()
    if not args.db.startswith("tsl_g7_"):
        raise SystemExit("the database name must start with tsl_g7_")
    log(f"== machine: {machine_note()}")
    template = f"{args.db}_tpl"
    reuse = args.reuse and db_exists(template)
    drop_db(args.db)
    if reuse:
        log(f"== {args.db}: copied from {template} (built before)")
        create_from_template(args.db, template)
    else:
        drop_db(template)
        install(args.db)
    registry = open_registry(args.db)
    from odoo import SUPERUSER_ID, api, sql_db
    from odoo.modules.registry import Registry

    with registry.cursor() as cr:
        built = bool(
            api.Environment(cr, SUPERUSER_ID, {})["tsl.reward.campaign"].search_count(
                [("name", "=", "Bench Points Reward")]
            )
        )
    if not built:
        log("== building the data")
        with registry.cursor() as cr:
            build(
                api.Environment(cr, SUPERUSER_ID, {}),
                args.requests,
                args.stores,
                args.gifts,
            )
            cr.commit()
        # keep the built data for --reuse: a template copy of the database
        Registry.delete(args.db)
        sql_db.close_db(args.db)
        create_from_template(template, args.db)
        registry = Registry(args.db)
    with registry.cursor() as cr:
        uid = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin").id
    log("== measuring (as admin, HQ CRM)")
    figures = measure(registry, uid)
    approve, ship = figures["approve"], figures["ship"]
    print_table(
        ["step", "requests", "seconds", "queries", "transfers", "moves", "stores"],
        [
            [
                "bulk approve",
                f"{approve['approved']} / {approve['requests']}",
                f"{approve['seconds']:.2f}",
                approve["queries"],
                approve["pickings"],
                approve["moves"],
                approve["stores"],
            ],
            [
                "ship (validate)",
                ship["requests_shipped"],
                f"{ship['seconds']:.2f}",
                ship["queries"],
                ship["pickings_done"],
                "",
                ship["allocations"],
            ],
        ],
    )
    ok = (
        approve["approved"] == approve["requests"]
        and approve["pickings"] == approve["stores"]
        and approve["seconds"] < 30
    )
    log(
        f"one transfer per store: {approve['pickings'] == approve['stores']}; "
        f"approval under 30 s: {approve['seconds'] < 30} -> {'OK' if ok else 'MISSED'}"
    )
    figures["machine"] = machine_note()
    write_json(args.json, figures)
    if not args.keep:
        Registry.delete(args.db)
        drop_db(args.db)
        drop_db(template)
        log(f"== {args.db} dropped")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PGAPPNAME", "tsl_bench_redemption")
    sys.exit(main())
