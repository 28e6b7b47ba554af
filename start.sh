#!/usr/bin/env bash
# Start Odoo with our addons and demo data on http://localhost:8069.
#
#   bash start.sh [--reset] [dbname] [-- extra odoo options]
#
# dbname defaults to tsl_demo.  A database that does not exist yet is created
# with every module of addons/ installed WITH demo data; an existing one is
# simply served (modules of addons/ that it does not have yet are installed,
# nothing is upgraded).  --reset drops the database (and its filestore) first.
# Runs in the foreground; stop it with Ctrl-C.
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD (database connection, default
# local socket and current user), TSL_HTTP_PORT (default 8069),
# TSL_ADDONS_DIR (default <repo>/addons).
set -euo pipefail

# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/tests/lib.sh"

reset=0
db=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --reset) reset=1 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) tsl_die "unknown option $1 (try --help)" ;;
        *) [ -z "$db" ] || tsl_die "only one database name, please"; db="$1" ;;
    esac
    shift
done
db="${db:-tsl_demo}"
port="${TSL_HTTP_PORT:-8069}"

tsl_require_odoo
addons_path="$(tsl_addons_path)" || tsl_die "cannot find the Odoo addons directory"
modules="$(tsl_list_modules | paste -sd, -)"
[ -n "$modules" ] || echo "WARNING: no module in $TSL_ADDONS_DIR; starting plain Odoo" >&2

if [ "$reset" = 1 ]; then
    echo "dropping database $db"
    tsl_drop_db "$db"
fi

install=""
if tsl_db_exists "$db"; then
    # Only modules of ours that this database has never installed.
    if [ -n "$modules" ]; then
        installed="$(psql -d "$db" -XAtq -c \
            "SELECT name FROM ir_module_module WHERE state = 'installed'" 2>/dev/null || true)"
        for module in ${modules//,/ }; do
            grep -qx "$module" <<<"$installed" || install="${install:+$install,}$module"
        done
    fi
    echo "database $db exists${install:+; installing new modules: $install}"
else
    install="$modules"
    echo "creating database $db with demo data${install:+, installing: $install}"
fi

args=(
    --addons-path="$addons_path"
    -d "$db"
    --db-filter="^${db}\$"
    --http-port="$port"
    --without-demo=
)
[ -z "$install" ] || args+=(-i "$install")

echo "Odoo will serve http://localhost:$port (database $db)"
exec "$TSL_PYTHON" -m odoo "${args[@]}" "${extra[@]}"
