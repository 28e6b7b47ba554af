#!/bin/bash
# Entrypoint of the TSL Member CRM Odoo image.
#
# Waits for PostgreSQL, then on the first start creates database $TSL_DB
# (default tsl_demo) with every addon of /mnt/extra-addons installed WITH
# demo data; on later starts it only installs addons that the database does
# not have yet.  Then it runs the Odoo server in the foreground.  Extra
# arguments are passed to Odoo.
#
# Environment: TSL_DB (database, default tsl_demo), ODOO_RC (config file,
# default /etc/odoo/odoo.conf), TSL_EXTRA_ADDONS (default /mnt/extra-addons),
# ODOO_BIN (default "odoo"), TSL_DB_WAIT (seconds to wait for the db, 60).
set -euo pipefail

db="${TSL_DB:-tsl_demo}"
conf="${ODOO_RC:-/etc/odoo/odoo.conf}"
extra_addons="${TSL_EXTRA_ADDONS:-/mnt/extra-addons}"
read -r -a odoo_bin <<<"${ODOO_BIN:-odoo}"

[ -r "$conf" ] || { echo "tsl-init: config file $conf not readable" >&2; exit 1; }

# Our addons: every directory of /mnt/extra-addons with a __manifest__.py.
modules=()
for manifest in "$extra_addons"/*/__manifest__.py; do
    [ -f "$manifest" ] || continue
    modules+=("$(basename "$(dirname "$manifest")")")
done
echo "tsl-init: addons found in $extra_addons: ${modules[*]:-none}"

# Wait for PostgreSQL (connection settings from the Odoo config file) and
# print "new" for a database to create, or "ready" then its installed modules.
state="$(python3 - "$conf" "$db" "${TSL_DB_WAIT:-60}" <<'EOF'
import configparser
import sys
import time

import psycopg2

conf, db, wait = sys.argv[1], sys.argv[2], float(sys.argv[3])
parser = configparser.RawConfigParser()
parser.read(conf)
options = dict(parser.items("options")) if parser.has_section("options") else {}
params = {}
for key in ("host", "port", "user", "password"):
    value = options.get("db_" + key, "")
    if value and value.lower() != "false":
        params[key] = value
deadline = time.time() + wait
while True:
    try:
        conn = psycopg2.connect(dbname="postgres", **params)
        break
    except psycopg2.OperationalError as exc:
        if time.time() > deadline:
            sys.exit(f"tsl-init: PostgreSQL not reachable after {wait:.0f}s: {exc}")
        time.sleep(1)
with conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
    exists = cr.fetchone()
conn.close()
if not exists:
    print("new")
    sys.exit(0)
conn = psycopg2.connect(dbname=db, **params)
with conn.cursor() as cr:
    cr.execute("SELECT to_regclass('ir_module_module')")
    if cr.fetchone()[0] is None:
        print("new")
    else:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        print("ready")
        for (name,) in cr.fetchall():
            print(name)
conn.close()
EOF
)"

install=()
if [ "${state%%$'\n'*}" = "new" ]; then
    install=("${modules[@]}")
    echo "tsl-init: initialising database $db with demo data: ${install[*]:-base only}"
else
    for module in "${modules[@]}"; do
        grep -qx "$module" <<<"$state" || install+=("$module")
    done
    [ ${#install[@]} -eq 0 ] || echo "tsl-init: installing new addons in $db: ${install[*]}"
fi

if [ ${#install[@]} -gt 0 ] || [ "${state%%$'\n'*}" = "new" ]; then
    init_args=(-c "$conf" -d "$db" --without-demo= --stop-after-init --no-http)
    if [ ${#install[@]} -gt 0 ]; then
        init_args+=(-i "$(IFS=,; echo "${install[*]}")")
    else
        init_args+=(-i base)
    fi
    "${odoo_bin[@]}" "${init_args[@]}"
fi

echo "tsl-init: serving database $db on port 8069"
exec "${odoo_bin[@]}" -c "$conf" -d "$db" --db-filter="^${db}\$" "$@"
