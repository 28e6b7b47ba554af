#!/usr/bin/env python3
"""POS start-up load time, stock Odoo vs ours, on the same data.

    python3 tests/bench/bench_pos_load.py [--partners 100000] [--runs 5]

Creates two databases (names start with ``tsl_bload``, dropped at the end):

* A: ``-i point_of_sale`` (stock);
* B: ``-i tsl_loyalty`` with our addons on the path (the POS config linked
  to a tsl.store, the partners are formal members with a number and a tier).

Both get the same 200 POS products and N partners (inserted by set-based
SQL), one POS config and an opened session.  Then the server side of the POS
start-up is timed: ``pos.session.load_data([])`` as data_service.js calls it
(``PosData.modelToLoad`` is empty: every model) as the admin who
opened the session, each run in a fresh cursor
and environment like an RPC, the first run cold (just after loading the
registry), the others warm.  The JSON size of the answer is reported too.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time

from benchlib import (
    drop_db,
    machine_note,
    odoo_addons_dir,
    repo_addons_dir,
)

PREFIX = "tsl_bload"
PRODUCTS = 200


def run_odoo(args):
    cmd = [sys.executable, "-m", "odoo", *args, "--stop-after-init"]
    cmd += ["--log-level", "warn"]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def insert_partners(cr, n, members):
    """N partners by one INSERT … SELECT generate_series (no ORM)."""
    cr.execute("SELECT COALESCE(max(id), 0) FROM res_partner")
    base = cr.fetchone()[0]
    cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
    cols = [
        "id",
        "name",
        "complete_name",
        "commercial_partner_id",
        "active",
        "type",
        "is_company",
        "partner_share",
        "lang",
        "tz",
        "color",
        "customer_rank",
        "supplier_rank",
        "autopost_bills",
        "mobile",
        "email",
        "create_uid",
        "write_uid",
        "create_date",
        "write_date",
    ]
    vals = [
        "%(base)s + g",
        "'Partner ' || lpad(g::text, 7, '0')",
        "'Partner ' || lpad(g::text, 7, '0')",
        "%(base)s + g",
        "TRUE",
        "'contact'",
        "FALSE",
        "TRUE",
        "'en_US'",
        "'Asia/Shanghai'",
        "0",
        "1",
        "0",
        "'ask'",
        "'+86138' || lpad(g::text, 8, '0')",
        "'p' || g || '@example.com'",
        "1",
        "1",
        "now() AT TIME ZONE 'UTC'",
        "now() AT TIME ZONE 'UTC'",
    ]
    params = {"base": base, "n": n}
    if members:
        cr.execute(
            "SELECT id FROM tsl_member_tier WHERE NOT COALESCE(is_brand_tier, FALSE) "
            "ORDER BY sequence, id LIMIT 1"
        )
        params["tier"] = cr.fetchone()[0]
        cols += [
            "tsl_member_state",
            "tsl_member_number",
            "tsl_tier_id",
            "tsl_enrol_date",
            "tsl_formal_date",
        ]
        vals += [
            "'formal'",
            "'B' || lpad(g::text, 8, '0')",
            "%(tier)s",
            "current_date - 100",
            "current_date - 95",
        ]
    # every NOT NULL column without a default must be filled
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND is_nullable = 'NO' "
        "AND column_default IS NULL"
    )
    missing = {r[0] for r in cr.fetchall()} - set(cols)
    if missing:
        raise SystemExit(f"res_partner NOT NULL columns not filled: {missing}")
    cr.execute(
        f"INSERT INTO res_partner ({', '.join(cols)}) "
        f"SELECT {', '.join(vals)} FROM generate_series(1, %(n)s) g",
        params,
    )
    cr.execute("SELECT setval('res_partner_id_seq', %s)", [base + n + 1])
    cr.execute("ANALYZE res_partner")


def setup(db, n, ours):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["product.product"].create(
            [
                {
                    "name": f"Bench product {i:03d}",
                    "available_in_pos": True,
                    "list_price": 10 + i,
                    "default_code": f"BP{i:03d}",
                }
                for i in range(PRODUCTS)
            ]
        )
        config_vals = {"name": "Bench POS"}
        if ours:
            area = env["tsl.area"].create({"name": "Bench area", "code": "BA"})
            store = env["tsl.store"].create(
                {"name": "Bench store", "code": "BS", "area_id": area.id}
            )
            config_vals["tsl_store_id"] = store.id
        config = env["pos.config"].create(config_vals)
        insert_partners(cr, n, members=ours)
        env.invalidate_all()
        # the superuser may not open a POS session: the admin does
        config.with_user(env.ref("base.user_admin")).open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        cr.commit()
        return session.id


def measure(db, session_id, runs):
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools.json import json_default

    registry = Registry(db)
    times, size, counts = [], 0, {}
    for _i in range(runs):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # as the POS user (res.users' POS data is the current user's,
            # the superuser has none): the admin, who opened the session
            session = env["pos.session"].browse(session_id)
            session = session.with_user(env.ref("base.user_admin"))
            t0 = time.perf_counter()
            res = session.load_data([])
            times.append((time.perf_counter() - t0) * 1000)
            size = len(json.dumps(res, default=json_default))
            counts = {m: len(v.get("data") or []) for m, v in res.items()}
            cr.rollback()
    return {
        "cold_ms": times[0],
        "min_ms": min(times),
        "median_ms": statistics.median(times),
        "warm_median_ms": statistics.median(times[1:]) if runs > 1 else times[0],
        "times": times,
        "json_bytes": size,
        "partners": counts.get("res.partner", 0),
        "records": sum(counts.values()),
        "models": len(counts),
        "counts": counts,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="do not drop the dbs")
    args = parser.parse_args()

    from odoo.tools import config

    stock_path = odoo_addons_dir()
    ours_path = f"{stock_path},{repo_addons_dir()}"
    dbs = {
        "stock": (f"{PREFIX}_stock", "point_of_sale", stock_path, False),
        "ours": (f"{PREFIX}_ours", "tsl_loyalty", ours_path, True),
    }
    # parsed once (a second parse_config fails): both paths, harmless for A
    config.parse_config(["--addons-path", ours_path, "--log-level", "warn"])
    results = {}
    try:
        for label, (db, module, path, ours) in dbs.items():
            drop_db(db)
            t0 = time.time()
            run_odoo(
                ["-d", db, "-i", module, "--without-demo=all"] + ["--addons-path", path]
            )
            print(f"[{label}] installed in {time.time() - t0:.0f} s", flush=True)
            session_id = setup(db, args.partners, ours)
            print(f"[{label}] data ready, session {session_id}", flush=True)
            results[label] = measure(db, session_id, args.runs)
            print(
                f"[{label}] load_data ms: "
                + ", ".join(f"{t:.0f}" for t in results[label]["times"])
                + f"  ({machine_note()})",
                flush=True,
            )
    finally:
        if not args.keep:
            from odoo.modules.registry import Registry

            for db, *_rest in dbs.values():
                Registry.delete(db)
                drop_db(db)

    s, o = results["stock"], results["ours"]
    print()
    print(
        f"POS start-up, pos.session.load_data([]): {args.partners:,} partners, "
        f"{PRODUCTS} products, {args.runs} runs (1st cold)"
    )
    print(machine_note())
    rows = [
        ("cold (1st run) ms", "cold_ms", "{:.0f}"),
        ("min ms", "min_ms", "{:.0f}"),
        ("median ms", "median_ms", "{:.0f}"),
        ("JSON size KiB", "json_bytes", "{:.0f}"),
        ("res.partner records", "partners", "{}"),
        ("records (all models)", "records", "{}"),
        ("models", "models", "{}"),
    ]
    print(f"{'':24}{'stock':>12}{'ours':>12}{'ours/stock':>12}")
    for title, key, fmt in rows:
        a, b = s[key], o[key]
        if key == "json_bytes":
            a, b = a / 1024, b / 1024
        ratio = f"{b / a:.2f}" if a else "-"
        print(f"{title:24}{fmt.format(a):>12}{fmt.format(b):>12}{ratio:>12}")
    extra = sorted(set(o["counts"]) - set(s["counts"]))
    if extra:
        print(
            "models only in ours: "
            + ", ".join(f"{m} ({o['counts'][m]})" for m in extra)
        )


if __name__ == "__main__":
    main()
