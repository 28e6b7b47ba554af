#!/usr/bin/env python3
"""POS order sync: stock Odoo 18, stock pos_loyalty and ours, side by side.

    python3 tests/bench/bench_pos_sync.py [--orders 200] [--batch 10]
        [--warmup 20] [--members 1000000] [--expiry-runs 2] [--skip-sync]
        [--skip-expiry] [--keep] [--profile] [--json FILE]

Part 1 — the sync of paid POS orders.  Three databases are built (Odoo
installed without demo data, ``python3 -m odoo -i …``):

* A ``<prefix>_stock``    point_of_sale: the stock ``sync_from_ui``, no loyalty;
* B ``<prefix>_loyalty``  pos_loyalty with one loyalty program "1 point per
  currency unit" (program_type loyalty, pos_ok, one rule reward_point_mode
  money / reward_point_amount 1); every member already holds a loyalty card
  (``--loyalty-cards new``: none, the first order creates it);
* C ``<prefix>_ours``     tsl_loyalty: points booked inside the sync.

Each gets a pos.config with a cash payment method and a session opened by
admin (open_ui + set_opening_control, as the point_of_sale tests do), three
products without taxes and ``warmup + orders`` members (C: formal members
with a tier and a store).  The same orders — 3 lines, one member each, paid
cash, the payload shape of create_ui_order_data() of
point_of_sale/tests/common.py, a uuid each — are sent as admin, through
``odoo.api.call_kw`` with the POS context, JSON in and out like an RPC, one
registry cursor committed per request:

* A, C: one request per batch: ``pos.order.sync_from_ui(batch)``;
* B: what the 18.0 POS sends for such a program (pos_loyalty/static/src/
  overrides/components/payment_screen/payment_screen.js): per order before
  the sync ``validate_coupon_programs([], {card: points}, [])`` (only when
  the member's card exists), the batch ``sync_from_ui``, then per order
  ``confirm_coupon_programs(order, coupon_data)`` and
  ``add_loyalty_history_lines([order], loyalty_points, coupon_updates)`` —
  each its own request.

* C0 (information): C's database and till, the same orders for customers
  who are not members: the sync with our modules installed (tsl_crm, sale,
  sale_stock …) but no points booked; C0/A is the cost of the module stack,
  C/C0 the cost of the booking itself.

The warm-up batches are not counted.  The measured batches are interleaved
(batch i of A, B, C and C0 in turn, the order rotating) so that the load of
the machine weighs on all alike.  Reported per kind: ms per order (batch
time / batch size: mean, p50, p95 over the batches), SQL queries per order,
the ratios C/A (target <= 1.10; also the median of the per-batch ratios,
the least sensitive to a shared machine) and B/A.  Then the orders of C are
sent once more: the ledger must hold exactly one earn line per order, and
the points must match the orders and the members' balances.

Part 2 — the nightly points expiry at scale (``--members``, default
1,000,000) in C: members inserted by SQL with a balance in a points year of
last year whose expiry date has passed (and, unless ``--no-ledger``, the
earn ledger line behind each balance), committed and VACUUM ANALYZEd; then
``tsl.points.move._cron_tsl_expire_points()`` (as the cron user) against a
bare SQL doing the same minimum work: INSERT … SELECT of one row per balance
into a scratch table without index, then the two UPDATEs (balances, member
totals).  Bare, job, bare, job (``--expiry-runs``): each in a transaction
rolled back, VACUUM ANALYZE and CHECKPOINT between runs; the best run of
each counts (target job <= 2x bare), the median of the paired ratios is
shown too.

The databases are dropped at the end (``--keep`` to keep them; an existing
database of the same name is dropped first, ``--reuse`` reuses it).  Names
must start with tsl_bsync.  ``--profile`` adds, after the measure, one more
batch of A and C under cProfile and a per-statement count of their SQL (the
statements C runs more than A), and an EXPLAIN ANALYZE (auto_explain, with
the foreign-key triggers) of the bare SQL and of the job.  The load average
is printed: the figures of a shared machine are noisy.
"""

import argparse
import copy
import cProfile
import io
import json
import os
import pstats
import random
import re
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta

from benchlib import (
    autocommit_connection,
    db_exists,
    drop_db,
    machine_note,
    odoo_addons_dir,
    open_registry,
    percentile,
    print_table,
    repo_addons_dir,
    summarize,
    write_json,
)

KINDS = ("A", "B", "C")
SYNC_KINDS = ("A", "B", "C", "C0")
MODULES = {"A": "point_of_sale", "B": "pos_loyalty", "C": "tsl_loyalty"}
SUFFIXES = {"A": "stock", "B": "loyalty", "C": "ours"}
LABELS = {
    "A": "A stock sync_from_ui",
    "B": "B stock pos_loyalty",
    "C": "C ours (tsl_loyalty)",
    "C0": "C0 ours, walk-ins: no points",
}
# three products without taxes: (name, price)
PRODUCTS = [("Ring", 1280.0), ("Pendant", 560.0), ("Chain", 199.0)]
TARGET_SYNC = 1.10
TARGET_EXPIRY = 2.0


def log(msg=""):
    print(msg, flush=True)


# ---- databases -----------------------------------------------------------------


def create_dbs(dbs, args):
    """Install the module of each kind in its database, in parallel."""
    python = os.environ.get("TSL_PYTHON", "python3")
    addons = f"{odoo_addons_dir()},{repo_addons_dir()}"
    procs = {}
    for kind, db in dbs.items():
        if db_exists(db):
            if args.reuse:
                log(f"== {db}: exists, reused")
                continue
            log(f"== {db}: exists, dropped")
            drop_db(db)
        logfile = os.path.join(args.log_dir, f"{db}-install.log")
        log(f"== {db}: installing {MODULES[kind]} without demo data (log: {logfile})")
        cmd = [
            python,
            "-m",
            "odoo",
            "-d",
            db,
            f"--addons-path={addons}",
            "-i",
            MODULES[kind],
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
        fh = open(logfile, "w", encoding="utf-8")
        procs[db] = (subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT), fh)
    failed = []
    for db, (proc, fh) in procs.items():
        rc = proc.wait()
        fh.close()
        with open(fh.name, encoding="utf-8") as logfh:
            text = logfh.read()
        if rc or re.search(r" (ERROR|CRITICAL) ", text):
            log(text[-3000:])
            failed.append(db)
    if failed:
        raise SystemExit(f"installation failed in {', '.join(failed)}")


_PARSED = []


def registry_for(db):
    """The registry of ``db``: Odoo's configuration can be parsed only once."""
    if not _PARSED:
        _PARSED.append(db)
        return open_registry(db)
    from odoo.modules.registry import Registry

    return Registry(db)


# ---- setup ---------------------------------------------------------------------
class Target:
    """One database under test and the ids the payloads need."""

    def __init__(self, kind, db):
        self.kind = kind
        self.db = db
        self.registry = None
        self.queries = 0

    def context(self, **extra):
        return {
            "lang": "en_US",
            "tz": "UTC",
            "uid": self.uid,
            "allowed_company_ids": [self.company_id],
            **extra,
        }


def setup_target(target, n_partners, run_tag):
    """Products, members, a point of sale with an open session (committed)."""
    from odoo import SUPERUSER_ID, api

    with target.registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
        )
        admin = env.ref("base.user_admin")
        company = admin.company_id
        env = env(context=dict(env.context, allowed_company_ids=company.ids))
        categ = env["product.category"].create({"name": f"Bench Sync {run_tag}"})
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench Sync {name} {run_tag}",
                    "is_storable": True,
                    "available_in_pos": True,
                    "taxes_id": [(5, 0, 0)],
                    "lst_price": price,
                    "categ_id": categ.id,
                }
                for name, price in PRODUCTS
            ]
        )
        config_vals = {"name": f"Bench Sync {run_tag}"}
        partner_extra = {}
        if target.kind == "C":
            area = env["tsl.area"].create(
                {"name": f"Bench Sync {run_tag}", "code": f"BS{run_tag}"}
            )
            store = env["tsl.store"].create(
                {
                    "name": f"Bench Sync {run_tag}",
                    "code": f"BS{run_tag}",
                    "area_id": area.id,
                }
            )
            config_vals["tsl_store_id"] = store.id
            tier = env.ref("tsl_crm.tsl_member_tier_select")
            partner_extra = {
                "tsl_member_state": "formal",
                "tsl_tier_id": tier.id,
                "tsl_store_id": store.id,
            }
            target.store_id = store.id
        config = env["pos.config"].create(config_vals)
        cash = config.payment_method_ids.filtered(
            lambda pm: pm.is_cash_count and not pm.split_transactions
        )[:1]
        if not cash:
            code = f"B{run_tag[-4:]}"
            journal = env["account.journal"].search(
                [("code", "=", code), ("company_id", "=", company.id)]
            ) or env["account.journal"].create(
                {"name": f"Bench Cash {run_tag}", "type": "cash", "code": code}
            )
            cash = env["pos.payment.method"].create(
                {"name": "Cash", "journal_id": journal.id, "company_id": company.id}
            )
            config.payment_method_ids = [(4, cash.id)]
        partners = env["res.partner"].create(
            [
                {
                    "name": f"Bench Sync Member {run_tag}-{i:04d}",
                    "mobile": f"+86 139{run_tag[-4:]:0>4}{i:04d}",
                    **partner_extra,
                }
                for i in range(n_partners)
            ]
        )
        target.program_id = None
        target.cards = {}
        if target.kind == "B":
            program = env["loyalty.program"].create(
                {
                    "name": f"Bench 1 point per currency unit {run_tag}",
                    "program_type": "loyalty",
                    "applies_on": "both",
                    "trigger": "auto",
                    "pos_ok": True,
                    "rule_ids": [
                        (0, 0, {"reward_point_mode": "money", "reward_point_amount": 1})
                    ],
                    "reward_ids": [
                        (0, 0, {"discount": 5, "required_points": 200}),
                    ],
                }
            )
            rule = program.rule_ids
            assert (rule.reward_point_mode, rule.reward_point_amount) == ("money", 1)
            target.program_id = program.id
        config = config.with_user(admin)
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        target.uid = admin.id
        target.company_id = company.id
        target.config_id = config.id
        target.session_id = session.id
        target.login_number = session.login_number or 1
        target.cash_pm_id = cash.id
        target.pricelist_id = config.pricelist_id.id
        target.fiscal_position_id = config.default_fiscal_position_id.id
        target.products = [(p.id, p.lst_price) for p in products]
        target.partner_ids = partners.ids
        cr.commit()


def walkin_target(target, n_partners, run_tag):
    """C0: C's database and till, customers who are not members (no points):
    the sync with our modules installed, without the booking."""
    from odoo import SUPERUSER_ID, api

    walkin = copy.copy(target)
    walkin.kind = "C0"
    walkin.queries = 0
    with target.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        partners = env["res.partner"].create(
            [
                {"name": f"Bench Sync Walk-in {run_tag}-{i:04d}"}
                for i in range(n_partners)
            ]
        )
        walkin.partner_ids = partners.ids
    return walkin


def add_loyalty_cards(target):
    """B: every member already holds a card of the program (0 points)."""
    from odoo import SUPERUSER_ID, api

    with target.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cards = env["loyalty.card"].create(
            [
                {"program_id": target.program_id, "partner_id": pid, "points": 0}
                for pid in target.partner_ids
            ]
        )
        target.cards = {c.partner_id.id: [c.id, 0.0] for c in cards}


# ---- payloads ------------------------------------------------------------------
def order_specs(n, seed):
    """n orders: 3 lines (product index, quantity; the same every run for a
    seed) and a fresh uuid each."""
    rnd = random.Random(seed)
    return [
        {
            "uuid": str(uuid.uuid4()),
            "lines": [(k, rnd.choice((1, 1, 1, 2))) for k in range(3)],
            "line_ids": [rnd.randint(1, 1000000) for _k in range(3)],
        }
        for _i in range(n)
    ]


def order_payload(target, index, spec, now):
    """The dict create_ui_order_data() of point_of_sale/tests/common.py builds
    (no tax: price_subtotal == price_subtotal_incl), JSON round-tripped."""
    lines = []
    for (k, qty), line_id in zip(spec["lines"], spec["line_ids"], strict=True):
        product_id, price = target.products[k]
        lines.append(
            [
                0,
                0,
                {
                    "discount": 0.0,
                    "id": line_id,
                    "pack_lot_ids": [],
                    "price_unit": price,
                    "product_id": product_id,
                    "price_subtotal": price * qty,
                    "price_subtotal_incl": price * qty,
                    "qty": qty,
                    "tax_ids": [[6, 0, []]],
                },
            ]
        )
    total = sum(line[2]["price_subtotal_incl"] for line in lines)
    payment = {"amount": total, "name": now, "payment_method_id": target.cash_pm_id}
    order = {
        "amount_paid": total,
        "amount_return": 0,
        "amount_tax": 0.0,
        "amount_total": total,
        "date_order": now,
        "fiscal_position_id": target.fiscal_position_id,
        "pricelist_id": target.pricelist_id,
        "name": f"Order {spec['uuid']}",
        "last_order_preparation_change": "{}",
        "lines": lines,
        "partner_id": target.partner_ids[index],
        "session_id": target.session_id,
        "sequence_number": index + 1,
        "payment_ids": [[0, 0, payment]],
        "uuid": spec["uuid"],
        "user_id": target.uid,
        "to_invoice": False,
    }
    return json.dumps(order)


# ---- requests ------------------------------------------------------------------
def rpc(target, model, method, args, context=None):
    """One JSON-RPC call: own cursor, call_kw, JSON answer, COMMIT."""
    from odoo import api
    from odoo.tools import json_default

    with target.registry.cursor() as cr:
        env = api.Environment(cr, target.uid, target.context())
        kwargs = {"context": target.context(**(context or {}))}
        result = api.call_kw(env[model], method, json.loads(json.dumps(args)), kwargs)
        answer = json.loads(json.dumps(result, default=json_default))
        cr.commit()
        target.queries += cr.sql_log_count
    return answer


def send_batch(target, payloads, indexes):
    """What the POS sends for one batch; returns (total s, sync s, order ids)."""
    orders = [json.loads(payloads[i]) for i in indexes]
    sync_ctx = {"config_id": target.config_id, "login_number": target.login_number}
    start = time.perf_counter()
    if target.kind != "B":
        result = rpc(target, "pos.order", "sync_from_ui", [orders], sync_ctx)
        elapsed = time.perf_counter() - start
        return elapsed, elapsed, [o["id"] for o in result["pos.order"]]
    # B: validate (existing cards) / sync / confirm + history per order
    points = {}
    for order in orders:
        points[order["uuid"]] = round(order["amount_total"], 2)
        card = target.cards.get(order["partner_id"])
        if card:
            rpc(
                target,
                "pos.order",
                "validate_coupon_programs",
                [[], {str(card[0]): points[order["uuid"]]}, []],
            )
    t_sync = time.perf_counter()
    result = rpc(target, "pos.order", "sync_from_ui", [orders], sync_ctx)
    sync = time.perf_counter() - t_sync
    ids = {o["uuid"]: o["id"] for o in result["pos.order"]}
    for order in orders:
        order_id = ids.get(order["uuid"])
        if not order_id:
            continue
        won = points[order["uuid"]]
        partner_id = order["partner_id"]
        card = target.cards.get(partner_id)
        if card:
            coupon_id, balance = card
        else:
            target.next_local_id -= 1
            coupon_id, balance = target.next_local_id, 0.0
        coupon_data = {
            str(coupon_id): {
                "points": won,
                "program_id": target.program_id,
                "coupon_id": coupon_id,
                "barcode": "",
                "partner_id": partner_id,
            }
        }
        payload = rpc(
            target, "pos.order", "confirm_coupon_programs", [order_id, coupon_data]
        )
        updates = payload["coupon_updates"]
        loyalty_points = [
            {
                "order_id": order_id,
                "card_id": str(coupon_id),
                "spent": 0,
                "won": won,
                "total": balance + won,
            }
        ]
        rpc(
            target,
            "pos.order",
            "add_loyalty_history_lines",
            [
                [order_id],
                loyalty_points,
                [{"id": u["id"], "old_id": u["old_id"]} for u in updates],
            ],
        )
        for u in updates:
            target.cards[u["partner_id"]] = [u["id"], u["points"]]
    return time.perf_counter() - start, sync, list(ids.values())


# ---- SQL statement counter (--profile) -------------------------------------------
class SqlCounter:
    """Counts and times every statement of odoo.sql_db.Cursor.execute."""

    def __init__(self):
        self.stats = defaultdict(lambda: [0, 0.0])

    def __enter__(self):
        from odoo import sql_db

        self._orig = orig = sql_db.Cursor.execute
        stats = self.stats

        def execute(cr, query, params=None, log_exceptions=True):
            start = time.perf_counter()
            try:
                return orig(cr, query, params, log_exceptions)
            finally:
                text = query.code if hasattr(query, "code") else str(query)
                key = re.sub(r"\s+", " ", text).strip()
                key = re.sub(r'SAVEPOINT "[^"]*"', 'SAVEPOINT "…"', key)[:150]
                stats[key][0] += 1
                stats[key][1] += time.perf_counter() - start

        sql_db.Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        from odoo import sql_db

        sql_db.Cursor.execute = self._orig


def profile_batch(target, payloads, indexes, top):
    """One more batch under cProfile and the SQL counter; printed."""
    prof = cProfile.Profile()
    with SqlCounter() as counter:
        prof.enable()
        elapsed, _sync, _ids = send_batch(target, payloads, indexes)
        prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    n = len(indexes)
    log(f"\n=== profile {LABELS[target.kind]}: {1000 * elapsed / n:.1f} ms/order")
    log("\n".join(out.getvalue().splitlines()[: top + 12]))
    if target.kind == "C":
        out = io.StringIO()
        stats.stream = out
        stats.print_stats(r"addons/tsl_", 25)
        log(f"--- our code (cumulative):\n{out.getvalue().strip()}")
    total_q = sum(c for c, _t in counter.stats.values())
    total_t = sum(t for _c, t in counter.stats.values())
    log(
        f"--- SQL of {LABELS[target.kind]}: {total_q / n:.1f} statements/order, "
        f"{1000 * total_t / n:.1f} ms/order in execute()"
    )
    rows = sorted(counter.stats.items(), key=lambda kv: -kv[1][1])[:top]
    for key, (count, secs) in rows:
        log(f"{count / n:6.1f}/order {1000 * secs / n:7.2f} ms/order  {key}")
    return {k: (c / n, 1000 * t / n) for k, (c, t) in counter.stats.items()}


# ---- exactly-once ----------------------------------------------------------------
def check_exactly_once(target, payloads, measured, batch):
    """Re-send the measured orders of C; count the orders and earn lines."""
    before = target.queries
    times = []
    for k in range(0, len(measured), batch):
        elapsed, _sync, ids = send_batch(target, payloads, measured[k : k + batch])
        times.append(elapsed)
        assert not ids, f"a re-sent paid order was processed again: {ids}"
    uuids = [json.loads(payloads[i])["uuid"] for i in measured]
    with target.registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(DISTINCT o.id),
                   count(m.id) FILTER (WHERE m.move_type = 'earn'),
                   count(DISTINCT m.source_key) FILTER (WHERE m.move_type = 'earn'),
                   COALESCE(sum(m.points) FILTER (WHERE m.move_type = 'earn'), 0),
                   (SELECT COALESCE(sum(tsl_points_earned), 0) FROM pos_order
                     WHERE uuid = ANY(%(uuids)s)),
                   (SELECT COALESCE(sum(p.tsl_points_balance), 0)
                      FROM res_partner p WHERE p.id = ANY(%(partners)s))
              FROM pos_order o
              LEFT JOIN tsl_points_move m ON m.pos_order_id = o.id
             WHERE o.uuid = ANY(%(uuids)s)
            """,
            {"uuids": uuids, "partners": [target.partner_ids[i] for i in measured]},
        )
        orders, earn, keys, points, earned, balance = cr.fetchone()
    n = len(measured)
    return {
        "orders": orders,
        "earn_lines": earn,
        "distinct_keys": keys,
        "points": points,
        "order_points": earned,
        "member_balance": balance,
        "resend_ms_per_order": 1000 * sum(times) / n,
        "resend_queries_per_order": (target.queries - before) / n,
        "ok": orders == n and earn == n and keys == n and points == earned == balance,
    }


# ---- nightly expiry at scale ------------------------------------------------------
def drop_plain_indexes(cr, table):
    cr.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                            WHERE k.conindid = i.indexrelid)
        """,
        [table],
    )
    defs = cr.fetchall()
    for name, _definition in defs:
        cr.execute(f'DROP INDEX "{name}"')
    return [d for _n, d in defs]


def generate_members(target, n, with_ledger):
    """n formal members with a balance in last year's points year (expired
    yesterday), by set-based SQL; committed.  Returns the year id."""
    from odoo import SUPERUSER_ID, api

    today = date.today()
    last = today.year - 1
    with target.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.user_admin").company_id
        Year = env["tsl.points.year"]
        year_vals = {
            "name": f"{last} (bench)",
            "date_from": date(last, 1, 1),
            "date_to": date(last, 12, 31),
            "expiry_date": max(date(last, 12, 31), today - timedelta(days=1)),
            "company_id": company.id,
        }
        year = Year.search(
            [("company_id", "=", company.id), ("date_from", "=", date(last, 1, 1))]
        )
        if year:
            year.write(dict(year_vals, expired=False))
        else:
            year = Year.create(year_vals)
        tier = env.ref("tsl_crm.tsl_member_tier_select")
        env.flush_all()
        cr.execute("SET LOCAL maintenance_work_mem = '512MB'")
        try:  # foreign keys hold by construction: skip their triggers
            cr.execute("SAVEPOINT tsl_bsync_srr")
            cr.execute("SET LOCAL session_replication_role = replica")
            cr.execute("RELEASE SAVEPOINT tsl_bsync_srr")
        except Exception:  # not a superuser: keep the triggers
            cr.execute("ROLLBACK TO SAVEPOINT tsl_bsync_srr")
        tables = ["res_partner", "tsl_points_balance"]
        if with_ledger:
            tables.append("tsl_points_move")
        dropped = []
        for table in tables:
            dropped += drop_plain_indexes(cr, table)
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        base = cr.fetchone()[0] + 10
        params = {
            "base": base,
            "n": n,
            "store": target.store_id,
            "tier": tier.id,
            "year": year.id,
            "company": company.id,
            "currency": company.currency_id.id,
            "day": date(last, 6, 15),
        }
        t0 = time.perf_counter()
        cr.execute(
            """
            CREATE TEMP TABLE tsl_bsync_m ON COMMIT DROP AS
            SELECT %(base)s + g AS id, g, 1 + floor(random() * 5000)::int AS points
              FROM generate_series(1, %(n)s) g
            """,
            params,
        )
        cr.execute("SELECT setval('res_partner_id_seq', %s)", [base + n + 1])
        cr.execute(
            """
            INSERT INTO res_partner (
                id, name, complete_name, commercial_partner_id, active, type,
                is_company, partner_share, lang, autopost_bills,
                tsl_member_state, tsl_member_number, tsl_tier_id, tsl_store_id,
                tsl_enrol_date, tsl_points_balance, tsl_points_locked,
                create_uid, write_uid, create_date, write_date)
            SELECT m.id, 'Bench Member ' || m.id, 'Bench Member ' || m.id, m.id, TRUE,
                   'contact', FALSE, TRUE, 'en_US', 'ask', 'formal',
                   'B' || lpad(m.id::text, 9, '0'), %(tier)s, %(store)s,
                   %(day)s, m.points, 0, 1, 1,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM tsl_bsync_m m
            """,
            params,
        )
        cr.execute(
            """
            INSERT INTO tsl_points_balance (partner_id, year_id, earned, spent, expired,
                   balance, locked, store_id, create_uid, write_uid, create_date,
                   write_date)
            SELECT m.id, %(year)s, m.points, 0, 0, m.points, 0, %(store)s, 1, 1,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM tsl_bsync_m m
            """,
            params,
        )
        if with_ledger:
            cr.execute(
                """
                INSERT INTO tsl_points_move (partner_id, year_id, date, move_type,
                       points, locked, reason, origin, source_key, base_amount,
                       factor, currency_id, user_id, store_id, member_store_id,
                       create_uid, write_uid, create_date, write_date)
                SELECT m.id, %(year)s, %(day)s::timestamp + interval '3 hours',
                       'earn', m.points, 0, 'Purchase bench-' || m.id,
                       'bench-' || m.id, 'pos-earn:bench-' || m.id, m.points, 1,
                       %(currency)s, 2, %(store)s, %(store)s, 2, 2,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM tsl_bsync_m m
                """,
                params,
            )
        for definition in dropped:
            cr.execute(definition)
        cr.execute("SET LOCAL session_replication_role = origin")
        cr.commit()
        log(
            f"   {n} members, balances{' and earn lines' if with_ledger else ''} "
            f"inserted, {len(dropped)} indexes rebuilt: "
            f"{time.perf_counter() - t0:.1f} s"
        )
        year_id = year.id
    t0 = time.perf_counter()
    vacuum(target.db, EXPIRY_TABLES)
    log(f"   VACUUM ANALYZE: {time.perf_counter() - t0:.1f} s")
    return year_id


EXPIRY_TABLES = [
    "res_partner",
    "tsl_points_balance",
    "tsl_points_move",
    "tsl_points_year",
]

BARE_SCRATCH = """
CREATE TABLE tsl_bsync_scratch (
    partner_id integer, year_id integer, date timestamp, move_type varchar,
    points integer, locked integer, reason varchar, source_key varchar,
    member_store_id integer, user_id integer, create_uid integer,
    create_date timestamp, write_uid integer, write_date timestamp)
"""
BARE_STEPS = [
    """
    INSERT INTO tsl_bsync_scratch
    SELECT b.partner_id, b.year_id, now() AT TIME ZONE 'UTC', 'expire', -b.balance,
           0, %(reason)s, 'expire:' || b.year_id || ':' || b.partner_id,
           p.tsl_store_id, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
           now() AT TIME ZONE 'UTC'
      FROM tsl_points_balance b JOIN res_partner p ON p.id = b.partner_id
     WHERE b.year_id = %(year)s AND b.balance > 0
    """,
    """
    UPDATE tsl_points_balance
       SET expired = expired + balance, balance = 0
     WHERE year_id = %(year)s AND balance > 0
    """,
    """
    UPDATE res_partner p
       SET tsl_points_balance = p.tsl_points_balance + s.points
      FROM tsl_bsync_scratch s
     WHERE p.id = s.partner_id
    """,
]


def vacuum(db, tables, checkpoint=False):
    """VACUUM ANALYZE (the dead rows of a rolled back run), then CHECKPOINT
    so that the next run does not write the previous one's dirty pages."""
    import psycopg2

    conn = autocommit_connection(db)
    try:
        with conn.cursor() as cr:
            for table in tables:
                cr.execute(f'VACUUM ANALYZE "{table}"')
            if checkpoint:
                try:
                    cr.execute("CHECKPOINT")
                except psycopg2.Error:
                    pass  # needs superuser or pg_checkpoint: skipped
    finally:
        conn.close()


def run_bare(target, year_id):
    from odoo import SUPERUSER_ID, api

    with target.registry.cursor() as cr:
        cr.execute(BARE_SCRATCH)
        env = api.Environment(cr, SUPERUSER_ID, {})
        params = {"year": year_id, "uid": env.uid, "reason": "Points expired"}
        start = time.perf_counter()
        rows = 0
        for step in BARE_STEPS:
            cr.execute(step, params)
            rows = rows or cr.rowcount
        elapsed = time.perf_counter() - start
        cr.rollback()
    return elapsed, rows


def run_cron(target):
    from odoo import SUPERUSER_ID, api

    with target.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref(
            "tsl_loyalty.ir_cron_tsl_expire_points", raise_if_not_found=False
        )
        uid = cron.user_id.id if cron and cron.user_id else SUPERUSER_ID
        env = api.Environment(cr, uid, {"lang": "en_US"})
        start = time.perf_counter()
        rows = env["tsl.points.move"]._cron_tsl_expire_points()
        env.flush_all()
        elapsed = time.perf_counter() - start
        cr.rollback()
    return elapsed, rows


AUTO_EXPLAIN = [
    "LOAD 'auto_explain'",
    "SET LOCAL auto_explain.log_min_duration = 50",
    "SET LOCAL auto_explain.log_analyze = on",
    "SET LOCAL auto_explain.log_buffers = on",
    "SET LOCAL auto_explain.log_triggers = on",
    "SET LOCAL auto_explain.log_timing = on",
    "SET LOCAL auto_explain.log_level = 'notice'",
    "SET LOCAL client_min_messages = 'notice'",
]


def explain_expiry(target, year_id):
    """EXPLAIN ANALYZE (auto_explain, triggers included) of the bare SQL and
    of the job's statements over 50 ms, rolled back."""
    for kind in ("bare", "job"):
        with target.registry.cursor() as cr:
            try:
                for stmt in AUTO_EXPLAIN:
                    cr.execute(stmt)
            except Exception as exc:  # auto_explain missing, not superuser …
                log(f"   (no auto_explain: {exc})")
                return
            cr._cnx.notices.clear()
            if kind == "bare":
                cr.execute(BARE_SCRATCH)
                params = {"year": year_id, "uid": 1, "reason": "Points expired"}
                for step in BARE_STEPS:
                    cr.execute(step, params)
            else:
                from odoo import SUPERUSER_ID, api

                env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
                env["tsl.points.move"]._cron_tsl_expire_points()
                env.flush_all()
            notices = list(cr._cnx.notices)
            cr.rollback()
        log(f"\n=== EXPLAIN ANALYZE, {kind} (statements over 50 ms)")
        for notice in notices:
            log(notice.rstrip())
        vacuum(target.db, EXPIRY_TABLES, checkpoint=True)


def bench_expiry(target, n, with_ledger, repeat=2, explain=False):
    log(f"\n== nightly expiry: {n} members in {target.db}")
    year_id = generate_members(target, n, with_ledger)
    vacuum(target.db, EXPIRY_TABLES, checkpoint=True)
    runs = {"bare": [], "job": []}
    for kind in ("bare", "job") * repeat:
        elapsed, rows = (
            run_bare(target, year_id) if kind == "bare" else run_cron(target)
        )
        log(f"   {kind}: {elapsed:.2f} s ({rows} balances expired; rolled back)")
        if rows < n:
            raise SystemExit(f"{kind} expired {rows} balances, expected >= {n}")
        runs[kind].append(elapsed)
        vacuum(target.db, EXPIRY_TABLES, checkpoint=True)
    if explain:
        explain_expiry(target, year_id)
    bare, job = min(runs["bare"]), min(runs["job"])
    return {
        "members": n,
        "ledger_rows": n if with_ledger else 0,
        "bare_s": runs["bare"],
        "job_s": runs["job"],
        "bare_best_s": bare,
        "job_best_s": job,
        "ratio": job / bare,
        "ratio_paired": percentile(
            [j / b for b, j in zip(runs["bare"], runs["job"], strict=True)], 50
        ),
        "ok": job <= TARGET_EXPIRY * bare,
    }


def code_state():
    """The commit measured, and whether tsl_loyalty had uncommitted changes."""
    repo = os.path.dirname(repo_addons_dir())
    try:
        head = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", repo, "status", "--porcelain", "addons/tsl_loyalty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {"head": head, "tsl_loyalty_uncommitted_files": len(dirty)}


# ---- main ----------------------------------------------------------------------
def fmt_ms(value):
    return f"{value:.1f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", default="tsl_bsync", help="database name prefix")
    parser.add_argument("--orders", type=int, default=200, help="measured orders")
    parser.add_argument("--batch", type=int, default=10, help="orders per sync")
    parser.add_argument("--warmup", type=int, default=20, help="orders not counted")
    parser.add_argument(
        "--loyalty-cards",
        choices=("existing", "new"),
        default="existing",
        help="B: the members hold a loyalty card already (default) or not",
    )
    parser.add_argument("--members", type=int, default=1_000_000, help="expiry job")
    parser.add_argument("--no-ledger", action="store_true", help="no earn lines")
    parser.add_argument(
        "--expiry-runs", type=int, default=2, help="runs of the job and of bare SQL"
    )
    parser.add_argument("--skip-sync", action="store_true")
    parser.add_argument("--skip-expiry", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-top", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--reuse", action="store_true", help="reuse existing ones")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--log-dir", default=os.environ.get("TMPDIR", "/tmp"))
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    if not args.prefix.startswith("tsl_bsync"):
        parser.error("the database prefix must start with tsl_bsync")
    if args.orders % args.batch or args.warmup % args.batch:
        parser.error("--orders and --warmup must be multiples of --batch")

    kinds = ("C",) if args.skip_sync else KINDS
    dbs = {k: f"{args.prefix}_{SUFFIXES[k]}" for k in kinds}
    started = time.perf_counter()
    figures = {"orders": args.orders, "batch": args.batch, "warmup": args.warmup}
    figures["machine"] = [f"start: {machine_note()}"]
    log(figures["machine"][0])
    try:
        create_dbs(dbs, args)
        log(f"   databases ready ({time.perf_counter() - started:.0f} s)")
        run_tag = f"{int(time.time()) % 100000:05d}"
        targets = {}
        n_total = args.warmup + args.orders
        for kind, db in dbs.items():
            target = Target(kind, db)
            target.registry = registry_for(db)
            target.next_local_id = 0
            setup_target(target, n_total, run_tag)
            if kind == "B" and args.loyalty_cards == "existing":
                add_loyalty_cards(target)
            targets[kind] = target
        if not args.skip_sync:
            targets["C0"] = walkin_target(targets["C"], n_total, run_tag)
            figures["sync"] = bench_sync(targets, args, n_total)
            figures["machine"].append(f"after the sync: {machine_note()}")
            log(figures["machine"][-1])
        if not args.skip_expiry:
            figures["expiry"] = bench_expiry(
                targets["C"],
                args.members,
                not args.no_ledger,
                args.expiry_runs,
                args.profile,
            )
    finally:
        if not args.keep:
            for db in dbs.values():
                if db_exists(db):
                    drop_db(db)
            log(f"\ndropped {', '.join(dbs.values())}")
    figures["code"] = code_state()
    figures["machine"].append(f"end: {machine_note()}")
    report(figures, args)
    figures["elapsed_s"] = time.perf_counter() - started
    write_json(args.json, figures)
    ok = [figures[k]["ok"] for k in ("sync", "expiry") if k in figures]
    return 0 if all(ok) else 1


def bench_sync(targets, args, n_total):
    specs = order_specs(n_total, args.seed)
    now = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    # C0 shares C's database: its own uuids
    walkin_specs = [dict(spec, uuid=str(uuid.uuid4())) for spec in specs]
    payloads = {
        k: [
            order_payload(t, i, (walkin_specs if k == "C0" else specs)[i], now)
            for i in range(n_total)
        ]
        for k, t in targets.items()
    }
    warm = list(range(args.warmup))
    measured = list(range(args.warmup, n_total))
    batches = [measured[i : i + args.batch] for i in range(0, args.orders, args.batch)]
    log(
        f"\n== sync: {args.warmup} warm-up + {args.orders} orders of 3 lines, "
        f"batches of {args.batch}, B cards: {args.loyalty_cards}"
    )
    for kind in SYNC_KINDS:
        for i in range(0, len(warm), args.batch):
            send_batch(targets[kind], payloads[kind], warm[i : i + args.batch])
    per_batch = {k: [] for k in SYNC_KINDS}
    sync_only = {k: [] for k in SYNC_KINDS}
    queries = {k: 0 for k in SYNC_KINDS}
    for b, indexes in enumerate(batches):
        turn = b % len(SYNC_KINDS)
        order = SYNC_KINDS[turn:] + SYNC_KINDS[:turn]
        for kind in order:
            target = targets[kind]
            before = target.queries
            elapsed, sync, ids = send_batch(target, payloads[kind], indexes)
            if len(ids) != len(indexes):
                raise SystemExit(f"{kind}: {len(ids)} orders synced of {len(indexes)}")
            queries[kind] += target.queries - before
            per_batch[kind].append(1000 * elapsed / len(indexes))
            sync_only[kind].append(1000 * sync / len(indexes))
        if (b + 1) % 5 == 0:
            log(f"   {b + 1}/{len(batches)} batches")
    result = {"per_batch_ms_per_order": per_batch, "kinds": {}}
    for kind in SYNC_KINDS:
        result["kinds"][kind] = {
            "label": LABELS[kind],
            **summarize(per_batch[kind]),
            "sync_only_mean": sum(sync_only[kind]) / len(sync_only[kind]),
            "queries_per_order": queries[kind] / args.orders,
        }
    a, b, c, c0 = (result["kinds"][k] for k in SYNC_KINDS)
    result["ratio_c_a"] = c["mean"] / a["mean"]
    result["ratio_b_a"] = b["mean"] / a["mean"]
    result["ratio_c_a_p50"] = c["p50"] / a["p50"]
    result["ratio_c_b"] = c["mean"] / b["mean"]
    result["ratio_c0_a"] = c0["mean"] / a["mean"]
    result["ratio_c_c0"] = c["mean"] / c0["mean"]
    # batch i of every kind ran back to back: the median of the per-batch
    # ratios is the least sensitive to the load of the machine drifting
    result["ratio_c_a_paired"] = percentile(
        [x / y for x, y in zip(per_batch["C"], per_batch["A"], strict=True)], 50
    )
    result["exactly_once"] = check_exactly_once(
        targets["C"], payloads["C"], measured, args.batch
    )
    result["ok"] = (
        result["ratio_c_a"] <= TARGET_SYNC
        and c["mean"] < b["mean"]
        and result["exactly_once"]["ok"]
    )
    if args.profile:
        extra = order_specs(args.batch, args.seed + 1)
        result["profile_sql"] = {}
        for kind in ("A", "C"):
            target = targets[kind]
            base = len(target.partner_ids) - args.batch
            plist = [
                order_payload(target, base + j, extra[j], now)
                for j in range(args.batch)
            ]
            # the extra orders reuse the last members: fine for a profile
            prof = profile_batch(
                target, plist, list(range(args.batch)), args.profile_top
            )
            result["profile_sql"][kind] = prof
        print_sql_diff(result["profile_sql"]["A"], result["profile_sql"]["C"])
    return result


def print_sql_diff(stock, ours):
    """The statements C runs more (or less) often than A, per order."""
    rows, other = [], [0.0, 0.0]
    for key in set(stock) | set(ours):
        (n_a, ms_a), (n_c, ms_c) = stock.get(key, (0, 0.0)), ours.get(key, (0, 0.0))
        if abs(n_c - n_a) >= 0.5:
            rows.append((ms_c - ms_a, n_c - n_a, key))
        else:
            other[0] += ms_c - ms_a
            other[1] += n_c - n_a
    rows.sort(reverse=True)
    extra_n = sum(r[1] for r in rows) + other[1]
    extra_ms = sum(r[0] for r in rows) + other[0]
    log(
        f"\n--- SQL, C minus A: {extra_n:+.1f} statements/order, "
        f"{extra_ms:+.1f} ms/order in execute()"
    )
    for d_ms, d_n, key in [*rows, (*other, "(the others: stock variance)")]:
        log(f"{d_n:+6.1f}/order {d_ms:+7.2f} ms/order  {key}")


def report(figures, args):
    log("\n" + "; ".join(figures["machine"]))
    sync = figures.get("sync")
    if sync:
        log("\nPOS sync, ms per order (batch time / batch size, over the batches)")
        rows = []
        for kind in SYNC_KINDS:
            f = sync["kinds"][kind]
            rows.append(
                [
                    f["label"],
                    fmt_ms(f["mean"]),
                    fmt_ms(f["p50"]),
                    fmt_ms(f["p95"]),
                    fmt_ms(f["sync_only_mean"]),
                    f"{f['queries_per_order']:.1f}",
                ]
            )
        print_table(
            ["kind", "mean", "p50", "p95", "sync call only", "queries/order"], rows
        )
        log(
            f"ratio C/A {sync['ratio_c_a']:.2f} (p50 {sync['ratio_c_a_p50']:.2f}, "
            f"median of the per-batch ratios {sync['ratio_c_a_paired']:.2f}), "
            f"B/A {sync['ratio_b_a']:.2f}, C/B {sync['ratio_c_b']:.2f}"
        )
        log(
            f"C0/A {sync['ratio_c0_a']:.2f}: our modules installed, no points "
            f"booked; C/C0 {sync['ratio_c_c0']:.2f}: the booking itself"
        )
        once = sync["exactly_once"]
        log(
            f"exactly-once after re-sending the {args.orders} orders of C: "
            f"{once['orders']} orders, {once['earn_lines']} earn lines "
            f"({once['distinct_keys']} keys), {once['points']} points = "
            f"{once['order_points']} on the orders = {once['member_balance']} "
            f"on the members: {'OK' if once['ok'] else 'FAILED'} "
            f"(re-send {once['resend_ms_per_order']:.1f} ms/order)"
        )
        verdict = "OK" if sync["ok"] else "MISSED"
        log(f"target: C <= {TARGET_SYNC:.2f}x A and C < B, exactly once: {verdict}")
    expiry = figures.get("expiry")
    if expiry:
        log(f"\nnightly expiry at {expiry['members']} members (seconds)")
        print_table(
            ["run", *(str(i + 1) for i in range(len(expiry["bare_s"]))), "best"],
            [
                [
                    "bare SQL (scratch insert + 2 UPDATEs)",
                    *(f"{s:.2f}" for s in expiry["bare_s"]),
                    f"{expiry['bare_best_s']:.2f}",
                ],
                [
                    "_cron_tsl_expire_points",
                    *(f"{s:.2f}" for s in expiry["job_s"]),
                    f"{expiry['job_best_s']:.2f}",
                ],
            ],
        )
        verdict = "OK" if expiry["ok"] else "MISSED"
        log(
            f"target: job <= {TARGET_EXPIRY:.0f}x bare: {verdict} "
            f"(best / best {expiry['ratio']:.2f}, median of the paired runs "
            f"{expiry['ratio_paired']:.2f})"
        )


if __name__ == "__main__":
    sys.exit(main())
