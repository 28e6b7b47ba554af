# shellcheck shell=bash
# Shared helpers for start.sh and tests/run_tests.sh.  Source it, don't run it.
#
# Nothing here knows where Odoo lives: the Odoo addons directory is derived at
# run time from the `odoo` package that `python3` imports.

# Absolute path of the repository root (the directory holding start.sh).
TSL_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TSL_REPO_ROOT

# Our addons directory; override with TSL_ADDONS_DIR (used to test the runner
# itself against a throw-away addon kept outside the repository).
TSL_ADDONS_DIR="${TSL_ADDONS_DIR:-$TSL_REPO_ROOT/addons}"
export TSL_ADDONS_DIR

# Interpreter that imports Odoo (override with TSL_PYTHON, default python3).
TSL_PYTHON="${TSL_PYTHON:-python3}"

tsl_die() {
    echo "ERROR: $*" >&2
    exit 1
}

# Exit with one clear line unless Odoo 18 is importable.
tsl_require_odoo() {
    if ! "$TSL_PYTHON" -c 'import odoo.release as r; assert r.version_info[0] == 18' >/dev/null 2>&1; then
        tsl_die "Odoo 18 is not importable by $TSL_PYTHON (see README, \"Odoo setup\")."
    fi
}

# Print the addons directory of the installed Odoo (the one next to the
# `odoo` package: <tree>/addons for a source checkout, or odoo/addons when
# the standard addons are shipped inside the package).
tsl_odoo_addons_path() {
    "$TSL_PYTHON" - <<'EOF'
import os

import odoo

pkg = os.path.dirname(os.path.abspath(odoo.__file__))
candidates = [os.path.join(os.path.dirname(pkg), "addons"), os.path.join(pkg, "addons")]
for path in candidates:
    if os.path.isfile(os.path.join(path, "web", "__manifest__.py")):
        print(path)
        break
else:
    raise SystemExit("cannot find the Odoo addons (looked in %s)" % ", ".join(candidates))
EOF
}

# Full --addons-path value: Odoo's addons, then ours.  (Odoo always adds its
# own odoo/addons, holding `base`, by itself.)
tsl_addons_path() {
    local odoo_addons
    odoo_addons="$(tsl_odoo_addons_path)" || return 1
    echo "$odoo_addons,$TSL_ADDONS_DIR"
}

# Print, one per line and sorted, the installable modules of TSL_ADDONS_DIR
# (directories holding a __manifest__.py whose "installable" is not False).
tsl_list_modules() {
    [ -d "$TSL_ADDONS_DIR" ] || return 0
    "$TSL_PYTHON" - "$TSL_ADDONS_DIR" <<'EOF'
import ast
import os
import sys

root = sys.argv[1]
for name in sorted(os.listdir(root)):
    manifest = os.path.join(root, name, "__manifest__.py")
    if not os.path.isfile(manifest):
        continue
    try:
        with open(manifest, encoding="utf-8") as fh:
            data = ast.literal_eval(fh.read())
    except (SyntaxError, ValueError) as exc:
        # Keep it: installing it will report the real problem.
        print(f"WARNING: cannot parse {manifest}: {exc}", file=sys.stderr)
        data = {}
    if data.get("installable", True):
        print(name)
EOF
}

# Print a TCP port that is free on localhost, trying $1 (default 8169) first.
tsl_free_port() {
    "$TSL_PYTHON" - "${1:-8169}" <<'EOF'
import socket
import sys

wanted = int(sys.argv[1])
for port in [*range(wanted, wanted + 50), 0]:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(sock.getsockname()[1])
        break
EOF
}

# Does database $1 exist? (connection from the libpq PG* variables)
tsl_db_exists() {
    local found
    found="$(psql -d postgres -XAtq -v db="$1" 2>/dev/null <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")" || return 2
    [ "$found" = "1" ]
}

# Drop database $1 (connections are force-closed) and its filestore.
tsl_drop_db() {
    local db="$1"
    dropdb --if-exists --force "$db" 2>/dev/null || dropdb --if-exists "$db" || true
    rm -rf "${HOME:-/root}/.local/share/Odoo/filestore/$db"
}
