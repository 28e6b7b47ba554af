#!/usr/bin/env bash
# Run the Odoo tests of our addons on a throw-away database.
#
#   bash tests/run_tests.sh [--modules a,b] [--test-tags TAGS] [--keep-db]
#
# Installs every module of addons/ (a directory with a __manifest__.py) WITH
# demo data into a fresh database, runs their at_install and post_install
# tests, then prints the failed/skipped tests and a last line
# "N passed, N failed".  A skipped test counts as failed, and so does any
# ERROR/CRITICAL log line, a module that does not install, demo data that
# fails to load, or a run with no test at all.  Exit status 0 only when
# nothing failed and at least one test passed.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD  database connection (default: local
#                                    socket, current user), as for psql
#   TSL_ADDONS_DIR   our addons directory (default: <repo>/addons)
#   TSL_TEST_DB      database name (default: tsl_test_<pid>_<epoch>)
#   TSL_TEST_LOG     log file (default: a new file under ${TMPDIR:-/tmp})
#   TSL_HTTP_PORT    first HTTP port to try for HttpCase tests (default 8169)
#   TSL_ODOO_ARGS    extra arguments for odoo (word-split)
set -uo pipefail

# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

keep_db=0
test_tags=""
modules=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-db) keep_db=1 ;;
        --test-tags) [ $# -ge 2 ] || { usage >&2; exit 2; }; test_tags="$2"; shift ;;
        --test-tags=*) test_tags="${1#*=}" ;;
        --modules) [ $# -ge 2 ] || { usage >&2; exit 2; }; modules="$2"; shift ;;
        --modules=*) modules="${1#*=}" ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

# Every early exit still ends with the summary line.
fail_early() {
    echo "ERROR: $*"
    echo "0 passed, 1 failed"
    exit 1
}

"$TSL_PYTHON" -c 'import odoo.release as r; assert r.version_info[0] == 18' >/dev/null 2>&1 \
    || fail_early "Odoo 18 is not importable by $TSL_PYTHON (see README, \"Odoo setup\")."
addons_path="$(tsl_addons_path)" || fail_early "cannot find the Odoo addons directory"

if [ -z "$modules" ]; then
    modules="$(tsl_list_modules | paste -sd, -)"
fi
[ -n "$modules" ] || fail_early "no module (directory with a __manifest__.py) in $TSL_ADDONS_DIR: no test to run"
if [ -z "$test_tags" ]; then
    test_tags="$(echo "$modules" | tr ',' '\n' | sed 's|^|/|' | paste -sd, -)"
fi

db="${TSL_TEST_DB:-tsl_test_$$_$(date +%s)}"
if tsl_db_exists "$db"; then
    fail_early "database $db already exists; choose another TSL_TEST_DB"
fi

log="${TSL_TEST_LOG:-$(mktemp "${TMPDIR:-/tmp}/${db}_XXXXXX.log")}"
: >"$log"
# A private data dir (filestore, sessions) that goes away with the database;
# a kept database keeps Odoo's default one so that it stays usable.
data_dir=""
data_args=()
if [ "$keep_db" != 1 ]; then
    data_dir="$(mktemp -d "${TMPDIR:-/tmp}/tsl_test_data_XXXXXX")"
    data_args=(--data-dir="$data_dir")
fi
port="$(tsl_free_port "${TSL_HTTP_PORT:-8169}")"

odoo_pid=""
tail_pid=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$odoo_pid" ] && kill -0 "$odoo_pid" 2>/dev/null; then
        kill -TERM "$odoo_pid" 2>/dev/null
        for _ in $(seq 20); do kill -0 "$odoo_pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$odoo_pid" 2>/dev/null
        wait "$odoo_pid" 2>/dev/null
    fi
    [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
    if [ "$keep_db" = 1 ]; then
        echo "kept database $db (drop it with: dropdb $db)"
    else
        tsl_drop_db "$db"
    fi
    [ -n "$data_dir" ] && rm -rf "$data_dir"
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# shellcheck disable=SC2206
extra_args=(${TSL_ODOO_ARGS:-})
cmd=(
    "$TSL_PYTHON" -m odoo
    --addons-path="$addons_path"
    "${data_args[@]}"
    -d "$db"
    -i "$modules"
    --test-enable
    --test-tags="$test_tags"
    --stop-after-init
    --log-level=test
    --http-port="$port"
    --max-cron-threads=0
    --workers=0
    --without-demo=
    "${extra_args[@]}"
)
echo "modules:   $modules"
echo "test tags: $test_tags"
echo "database:  $db   log: $log"
echo "command:   ${cmd[*]}"

# Odoo writes to the log file; tail streams it so CI shows progress.
"${cmd[@]}" </dev/null >"$log" 2>&1 &
odoo_pid=$!
tail -n +1 -f --pid="$odoo_pid" "$log" &
tail_pid=$!
wait "$odoo_pid"
odoo_rc=$?
odoo_pid=""
wait "$tail_pid" 2>/dev/null
tail_pid=""

"$TSL_PYTHON" "$TSL_REPO_ROOT/tests/odoo_test_summary.py" "$log" \
    --returncode "$odoo_rc" --db "$db" --modules "$modules" --addons-dir "$TSL_ADDONS_DIR"
rc=$?
# Keep the log of a failed run (or one asked for by name) only.
[ "$rc" = 0 ] && [ -z "${TSL_TEST_LOG:-}" ] && rm -f "$log"
exit "$rc"
