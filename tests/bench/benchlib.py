"""Shared helpers of the benchmark scripts (tests/bench/*.py).

Nothing here knows where Odoo lives: its addons directory is derived from the
``odoo`` package that ``python3`` imports; ours is <repo>/addons, or
TSL_ADDONS_DIR when set (as for tests/run_tests.sh).
"""

import json
import math
import os
import shutil
from pathlib import Path


def odoo_addons_dir():
    import odoo

    pkg = os.path.dirname(os.path.abspath(odoo.__file__))
    for path in (
        os.path.join(os.path.dirname(pkg), "addons"),
        os.path.join(pkg, "addons"),
    ):
        if os.path.isfile(os.path.join(path, "web", "__manifest__.py")):
            return path
    raise SystemExit("cannot find the Odoo addons directory")


def repo_addons_dir():
    return os.environ.get("TSL_ADDONS_DIR") or str(
        Path(__file__).resolve().parents[2] / "addons"
    )


def open_registry(db, log_level="warn"):
    """The Odoo registry of ``db``, Odoo's addons and ours on the path."""
    from odoo.tools import config

    addons = f"{odoo_addons_dir()},{repo_addons_dir()}"
    config.parse_config(["-d", db, "--addons-path", addons, "--log-level", log_level])
    from odoo.modules.registry import Registry

    return Registry(db)


def autocommit_connection(db):
    """A plain psycopg2 connection in autocommit (VACUUM, CREATE DATABASE …)."""
    import psycopg2

    from odoo.sql_db import connection_info_for

    _name, info = connection_info_for(db)
    conn = psycopg2.connect(**info)
    conn.autocommit = True
    return conn


def db_exists(name):
    conn = autocommit_connection("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return bool(cr.fetchone())
    finally:
        conn.close()


def drop_db(name):
    """Drop a database (its sessions closed) and its filestore."""
    import odoo
    from odoo.modules.registry import Registry

    Registry.delete(name)
    odoo.sql_db.close_db(name)
    conn = autocommit_connection("postgres")
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


def machine_note():
    """Cores and load average: other work on the machine skews timings."""
    try:
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return f"{os.cpu_count()} cores, load average {load} (1/5/15 min)"


def percentile(values, pct):
    """Nearest-rank percentile of a list (pct in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


def summarize(ms_values):
    return {
        "n": len(ms_values),
        "p50": percentile(ms_values, 50),
        "p95": percentile(ms_values, 95),
        "max": max(ms_values) if ms_values else float("nan"),
        "mean": sum(ms_values) / len(ms_values) if ms_values else float("nan"),
    }


def print_table(headers, rows, out=print):
    """Plain fixed-width table (also readable as Markdown)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def fmt(row):
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=False))
            )
            + " |"
        )

    out(fmt(cells[0]))
    out("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        out(fmt(row))


def write_json(path, data):
    if not path:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, default=str)
