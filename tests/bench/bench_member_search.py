#!/usr/bin/env python3
"""Member search: stock Odoo 18 POS partner search vs tsl_search_members.

    python3 tests/bench/bench_member_search.py -d tsl_bench [--samples 200]

Both run side by side, in one process, on the same database and the same
queries, drawn at random from the generated members:

* phone   — the member's mobile typed in another way than it is stored
            ('13800138000', '138 0013 8000', '+86 138 0013 8000',
            '138-0013-8000', '0086 13800138000', '+8613800138000');
* number  — the member number ('M00012345', some typed in lower case);
* name    — a 2-character name prefix (surname + first given character for
            Chinese names, the first two letters of pinyin/English names).

Stock: the domain the Odoo 18 POS sends when the cashier searches a customer
on the server (point_of_sale/static/src/app/screens/partner_list/
partner_list.js, PartnerList.getNewPartners):

    ['|', '|', '|', '|', ('name', 'ilike', q + '%'), ('parent_name', 'ilike', q + '%'),
     ('phone_mobile_search', 'ilike', q + '%'), ('email', 'ilike', q + '%'),
     ('barcode', 'ilike', q + '%')]      limit=30, offset=0

run through env['res.partner'].search(domain, limit=30) (the POS does a
search_read of the same domain and limit).  The POS passes no order: the
model's _order (complete_name ASC, id DESC) applies.

Ours: env['res.partner'].tsl_search_members(q) (limit 20, ordered by name).

Both run as the same user (default: admin, an HQ CRM user; --user LOGIN for
another, e.g. tsl_bench_manager_0001, a store manager, to include the record
rules of a store role).  Warm cache: every query is run once before the
measured pass.  Reported: p50 / p95 / max in ms per kind, the share of
queries whose member was found (phone, number) or that returned at least
one row (name), and the speedup.  --explain prints EXPLAIN (ANALYZE, BUFFERS)
of one query per kind and engine.
"""

import argparse
import random
import sys
import time

from benchlib import (
    machine_note,
    open_registry,
    print_table,
    summarize,
    write_json,
)

POS_LIMIT = 30
POS_SEARCH_FIELDS = ["name", "parent_name", "phone_mobile_search", "email", "barcode"]
KINDS = ("phone", "number", "name")
# What the name-prefix search needs (see README): a btree in the default
# operator class serves both the prefix range (C collation) and the ORDER BY
# tsl_name_key, id ... LIMIT 20, so the scan stops after 20 rows.
PROPOSED_INDEX = (
    "CREATE INDEX tsl_bench_proposed_name_key_id_idx ON res_partner (tsl_name_key, id) "
    "WHERE tsl_member_state IS NOT NULL"
)


def stock_pos_domain(query):
    """Domain of PartnerList.getNewPartners (point_of_sale 18.0)."""
    return [
        *(["|"] * (len(POS_SEARCH_FIELDS) - 1)),
        *[(field, "ilike", query + "%") for field in POS_SEARCH_FIELDS],
    ]


def phone_typings(e164):
    """The ways a cashier types a Chinese mobile (+86 and 11 digits)."""
    n = e164[3:]
    a, b, c = n[:3], n[3:7], n[7:]
    return [
        n,
        f"{a} {b} {c}",
        f"+86 {a} {b} {c}",
        f"{a}-{b}-{c}",
        f"0086 {n}",
        f"+86{n}",
    ]


def draw_queries(cr, samples, seed):
    """``samples`` queries per kind: (query, expected partner id or None)."""
    rnd = random.Random(seed)
    cr.execute("SELECT setseed(%s)", [(seed % 1000) / 1000.0])
    cr.execute(
        """
        SELECT id, name, mobile, tsl_phone_normalized, tsl_member_number
          FROM res_partner
         WHERE tsl_member_state IS NOT NULL AND active
         ORDER BY random()
         LIMIT %s
        """,
        [samples * 3],
    )
    rows = cr.fetchall()
    if len(rows) < samples * 3:
        raise SystemExit("not enough members: run generate_data.py first")
    queries = {kind: [] for kind in KINDS}
    for i, (pid, name, mobile, e164, number) in enumerate(rows):
        kind = KINDS[i % 3]
        if kind == "phone":
            # a typing different from the stored one, when possible
            typings = [t for t in phone_typings(e164) if t != mobile] or [mobile]
            queries["phone"].append((rnd.choice(typings), pid))
        elif kind == "number":
            q = number.lower() if rnd.random() < 0.2 else number
            queries["number"].append((q, pid))
        else:
            queries["name"].append((name[:2], None))
    return queries


def run_pass(env, engine, queries, measure=True):
    """Run every query; return per-kind lists of (ms, found, n_rows)."""
    Partner = env["res.partner"]
    results = {kind: [] for kind in queries}
    for kind, items in queries.items():
        for query, expected in items:
            env.invalidate_all()
            start = time.perf_counter()
            if engine == "stock":
                records = Partner.search(stock_pos_domain(query), limit=POS_LIMIT)
            else:
                records = Partner.tsl_search_members(query)
            ids = records.ids
            elapsed = (time.perf_counter() - start) * 1000.0
            found = (expected in ids) if expected else bool(ids)
            if measure:
                results[kind].append((elapsed, found, len(ids), query))
    return results


def explain(env, engine, query):
    from odoo.tools import SQL

    Partner = env["res.partner"]
    if engine == "stock":
        # search() applies the model's default order (complete_name, id desc)
        q = Partner._search(
            stock_pos_domain(query), limit=POS_LIMIT, order=Partner._order
        )
    else:
        q = Partner._search(
            Partner._tsl_member_search_domain(query), limit=20, order="tsl_name_key, id"
        )
    sql = q.select()
    env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", sql))
    plan = "\n".join(r[0] for r in env.cr.fetchall())
    return env.cr.mogrify(sql.code, sql.params).decode(), plan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", default="tsl_bench")
    parser.add_argument("--samples", type=int, default=200, help="queries per kind")
    parser.add_argument(
        "--stock-samples",
        type=int,
        default=None,
        help="queries per kind for the stock search (default: --samples); "
        "the first N of the same query list",
    )
    parser.add_argument("--user", default="admin", help="login of the searching user")
    parser.add_argument(
        "--proposed-index",
        action="store_true",
        help="create the index proposed for the name search for this run only "
        "(inside the transaction, rolled back at the end)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    from odoo import api

    registry = open_registry(args.database)
    with registry.cursor() as cr:
        su_env = api.Environment(cr, 1, {})
        user = su_env["res.users"].search([("login", "=", args.user)], limit=1)
        if not user:
            raise SystemExit(f"no user with login {args.user!r}")
        env = api.Environment(cr, user.id, {"lang": "en_US", "tz": "Asia/Shanghai"})
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE tsl_member_state IS NOT NULL"
        )
        n_members = cr.fetchone()[0]
        queries = draw_queries(cr, args.samples, args.seed)
        n_stock = args.samples if args.stock_samples is None else args.stock_samples
        stock_queries = {k: v[:n_stock] for k, v in queries.items()}
        print(
            f"database {args.database}: {n_members} members; user {args.user} "
            f"(uid {user.id}); {args.samples} queries per kind "
            f"({n_stock} for stock); {machine_note()}",
            flush=True,
        )
        print(
            "examples:",
            {k: [q for q, _ in v[:4]] for k, v in queries.items()},
            flush=True,
        )

        if args.proposed_index:
            t0 = time.perf_counter()
            cr.execute(PROPOSED_INDEX)
            cr.execute("ANALYZE res_partner")
            print(
                f"proposed index created for this run only (rolled back): "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        figures = {}
        engines = [("ours", queries, queries)]
        if n_stock:
            # the stock search scans the table: one query per kind warms it
            engines.append(
                ("stock", {k: v[:1] for k, v in stock_queries.items()}, stock_queries)
            )
        slowest = {}
        for engine, warm_qs, qs in engines:
            t0 = time.perf_counter()
            run_pass(env, engine, warm_qs, measure=False)
            res = run_pass(env, engine, qs)
            print(
                f"  {engine}: {time.perf_counter() - t0:.1f} s (warm-up + measure)",
                flush=True,
            )
            if engine == "ours":
                slowest = {kind: max(rows)[3] for kind, rows in res.items()}
            figures[engine] = {
                kind: {
                    **summarize([r[0] for r in rows]),
                    "found": 100.0 * sum(1 for r in rows if r[1]) / len(rows),
                    "rows": sum(r[2] for r in rows) / len(rows),
                }
                for kind, rows in res.items()
            }
        cr.rollback()

        print()
        headers = [
            "kind",
            "stock p50",
            "stock p95",
            "stock max",
            "stock found",
            "ours p50",
            "ours p95",
            "ours max",
            "ours found",
            "speedup p50",
            "speedup p95",
        ]
        table = []
        nan = {
            "p50": float("nan"),
            "p95": float("nan"),
            "max": float("nan"),
            "found": float("nan"),
        }
        for kind in KINDS:
            s, o = figures.get("stock", {}).get(kind, nan), figures["ours"][kind]
            table.append(
                [
                    kind,
                    f"{s['p50']:.1f} ms",
                    f"{s['p95']:.1f} ms",
                    f"{s['max']:.1f} ms",
                    f"{s['found']:.0f} %",
                    f"{o['p50']:.2f} ms",
                    f"{o['p95']:.2f} ms",
                    f"{o['max']:.2f} ms",
                    f"{o['found']:.0f} %",
                    f"{s['p50'] / o['p50']:.0f}x",
                    f"{s['p95'] / o['p95']:.0f}x",
                ]
            )
        print_table(headers, table)
        print(
            "\nfound = the member searched for is in the result (phone, number); "
            "name: the prefix returned at least one row."
        )
        worst = max(figures["ours"][k]["p95"] for k in KINDS)
        verdict = "OK" if worst <= 20.0 else "SLOW"
        print(
            f"target: ours p95 <= 20 ms for every kind: {verdict} "
            f"(worst p95 {worst:.2f} ms)"
        )

        if args.explain:
            if args.proposed_index:
                cr.execute(PROPOSED_INDEX)
                cr.execute("ANALYZE res_partner")
            print("\nslowest query of ours per kind:", slowest)
            for kind in KINDS:
                query = slowest[kind]  # the slowest query of ours
                for engine in ("ours", "stock") if n_stock else ("ours",):
                    sql, plan = explain(env, engine, query)
                    print(f"\n=== EXPLAIN {engine} / {kind}: {query!r}\n{sql}\n{plan}")
            cr.rollback()

        write_json(
            args.json,
            {
                "database": args.database,
                "members": n_members,
                "user": args.user,
                "samples": args.samples,
                "stock_samples": n_stock,
                "figures": figures,
                "target_ok": verdict == "OK",
                "proposed_index": args.proposed_index,
                "machine": machine_note(),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
