#!/usr/bin/env bash
# Benchmarks of tsl_crm on a large database (default 1,000,000 members).
#
#   bash tests/bench/run_all.sh [--db NAME] [--members N] [--samples N]
#        [--stock-samples N] [--user LOGIN] [--update] [--proposed-index]
#        [--skip-search] [--skip-nightly] [--out DIR]
#
# 1. creates the database (default tsl_bench) with tsl_crm installed
#    without demo data, unless it exists;
# 2. generates the members and orders (tests/bench/generate_data.py) unless
#    the database already holds generated data;
# 3. runs tests/bench/bench_member_search.py (stock POS search vs ours);
# 4. runs tests/bench/bench_nightly.py (nightly job vs bare SQL, twice,
#    rolled back);
# 5. prints a summary table.  The JSON figures and the full logs are kept in
#    --out (default ${TMPDIR:-/tmp}/tsl_bench_results/<db>).
#
# The database is kept: run again to re-measure on the same data (drop it
# with `dropdb NAME` to regenerate).  Names must start with tsl_bench.
#
# Options:
#   --members N        members to generate (default 1000000)
#   --samples N        queries per kind for our search (default 200)
#   --stock-samples N  queries per kind for the stock search (default 20: one
#                      stock query scans the 1M-row table, ~5-10 s each)
#   --user LOGIN       searching user (default admin; e.g.
#                      tsl_bench_manager_0001 for a store manager)
#   --update           update tsl_crm (-u) in an existing database first,
#                      when the code gained fields since it was created
#   --proposed-index   also time our search with the index proposed in
#                      tests/bench/README.md (created and rolled back)
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD as for psql; TSL_ADDONS_DIR
# (default <repo>/addons) and TSL_PYTHON (default python3) as for
# tests/run_tests.sh.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/lib.sh
. "$bench_dir/../lib.sh"

usage() { sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

db=tsl_bench
members=1000000
samples=200
stock_samples=20
user=admin
update=0
proposed=0
skip_search=0
skip_nightly=0
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift ;;
        --members) members="$2"; shift ;;
        --samples) samples="$2"; shift ;;
        --stock-samples) stock_samples="$2"; shift ;;
        --user) user="$2"; shift ;;
        --out) out="$2"; shift ;;
        --update) update=1 ;;
        --proposed-index) proposed=1 ;;
        --skip-search) skip_search=1 ;;
        --skip-nightly) skip_nightly=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$db" in
    tsl_bench*) ;;
    *) tsl_die "the database name must start with tsl_bench (got $db)" ;;
esac
out="${out:-${TMPDIR:-/tmp}/tsl_bench_results/$db}"
mkdir -p "$out"

tsl_require_odoo
addons_path="$(tsl_addons_path)" || tsl_die "cannot find the Odoo addons directory"
py="$TSL_PYTHON"
odoo_run() {
    "$py" -m odoo -d "$db" --addons-path="$addons_path" --without-demo=all \
        --stop-after-init --log-level=warn "$@"
}
started=$SECONDS
elapsed() { echo "$((SECONDS - started)) s"; }

# --- 1. database -------------------------------------------------------------
if tsl_db_exists "$db"; then
    echo "== database $db exists"
    if [ "$update" = 1 ]; then
        echo "== updating tsl_crm in $db"
        odoo_run -u tsl_crm >"$out/update.log" 2>&1 \
            || { tail -n 40 "$out/update.log"; tsl_die "update of tsl_crm failed (log: $out/update.log)"; }
    fi
else
    echo "== creating $db with tsl_crm (no demo data)"
    if ! odoo_run -i tsl_crm >"$out/install.log" 2>&1 \
        || grep -qE ' (ERROR|CRITICAL) ' "$out/install.log"; then
        tail -n 40 "$out/install.log"
        tsl_drop_db "$db"
        tsl_die "installing tsl_crm failed (log: $out/install.log)"
    fi
    echo "   done ($(elapsed))"
fi
state="$(psql -d "$db" -XAtq -c "SELECT state FROM ir_module_module WHERE name = 'tsl_crm'")"
[ "$state" = installed ] || tsl_die "tsl_crm is not installed in $db (state: ${state:-none})"

# --- 2. data -----------------------------------------------------------------
marker="$(psql -d "$db" -XAtq -c "SELECT value FROM ir_config_parameter WHERE key = 'tsl_bench.generated'")"
if [ -z "$marker" ]; then
    echo "== generating $members members"
    "$py" "$bench_dir/generate_data.py" -d "$db" --members "$members" 2>&1 | tee "$out/generate.log"
else
    echo "== data already generated: $marker"
fi

# --- 3. search ---------------------------------------------------------------
rm -f "$out/search.json" "$out/nightly.json"
if [ "$skip_search" = 0 ]; then
    echo "== member search ($(elapsed))"
    extra=()
    [ "$proposed" = 1 ] && extra+=(--proposed-index)
    "$py" "$bench_dir/bench_member_search.py" -d "$db" --samples "$samples" \
        --stock-samples "$stock_samples" --user "$user" --explain \
        --json "$out/search.json" >"$out/search.log" 2>&1 \
        || { tail -n 40 "$out/search.log"; tsl_die "bench_member_search.py failed"; }
    sed -n '1,/^target/p' "$out/search.log"
    if [ "$proposed" = 1 ]; then
        echo "   (with the proposed index; EXPLAIN plans in $out/search.log)"
    else
        echo "   (EXPLAIN plans in $out/search.log)"
    fi
fi

# --- 4. nightly job ----------------------------------------------------------
if [ "$skip_nightly" = 0 ]; then
    echo "== nightly job ($(elapsed))"
    "$py" "$bench_dir/bench_nightly.py" -d "$db" --json "$out/nightly.json" \
        >"$out/nightly.log" 2>&1 \
        || { tail -n 40 "$out/nightly.log"; tsl_die "bench_nightly.py failed"; }
    grep -vE '^(Stack|  File|    )|odoo\.tools\.translate' "$out/nightly.log" || true
fi

# --- 5. summary --------------------------------------------------------------
"$py" "$bench_dir/summary.py" "$out/search.json" "$out/nightly.json"
echo
echo "database $db kept; logs and JSON in $out; total $(elapsed)"

# --- 6. tsl_loyalty: POS sync (stock / pos_loyalty / ours) and points expiry at 1M members, in its own databases tsl_bsync_* dropped at the end (~12 min; TSL_BENCH_POS_SYNC=0 skips it)
[ "${TSL_BENCH_POS_SYNC:-1}" = 0 ] || { echo "== POS sync and points expiry ($(elapsed))"; "$py" "$bench_dir/bench_pos_sync.py" --log-dir "$out" --json "$out/pos_sync.json" >"$out/pos_sync.log" 2>&1 || echo "   bench_pos_sync.py: a target missed, or an error (log: $out/pos_sync.log)"; sed -n '/^POS sync, ms per order/,$p' "$out/pos_sync.log"; }

# --- 7. tsl_callcenter: weekly call lists at 1M members / 500 stores vs the bare SQL selection of the reasons, on the database TSL_BENCH_CC_DB (default tsl_bench_cc: a copy of the generated database with tsl_callcenter installed, see README; skipped when absent; TSL_BENCH_CALL_LISTS=0 skips it)
cc_db="${TSL_BENCH_CC_DB:-tsl_bench_cc}"
if [ "${TSL_BENCH_CALL_LISTS:-1}" != 0 ]; then
    cc_state="$(psql -d "$cc_db" -XAtq -c "SELECT state FROM ir_module_module WHERE name = 'tsl_callcenter'" 2>/dev/null || true)"
    if [ "$cc_state" = installed ]; then
        echo "== weekly call lists on $cc_db ($(elapsed))"
        "$py" "$bench_dir/bench_call_lists.py" -d "$cc_db" --json "$out/call_lists.json" \
            >"$out/call_lists.log" 2>&1 || echo "   bench_call_lists.py failed (log: $out/call_lists.log)"
        grep -vE '^(Stack|  File|    )' "$out/call_lists.log" || true
    else
        echo "== weekly call lists skipped: tsl_callcenter is not installed in $cc_db (see tests/bench/README.md)"
    fi
fi
