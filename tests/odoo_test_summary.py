#!/usr/bin/env python3
"""Summarise the log of an ``odoo --test-enable --stop-after-init`` run.

Used by tests/run_tests.sh; prints the failed/skipped tests and anything
else that went wrong, then a last line ``N passed, N failed``.  Exit status
is 1 when ``failed > 0`` or ``passed == 0``.

Log formats relied upon (Odoo 18: odoo/netsvc.py, odoo/tests/result.py,
odoo/modules/loading.py, odoo/service/server.py)::

    <date> <time>,<ms> <pid> <LEVEL> <db> <logger>: <message>
    ... INFO  <db> odoo.addons.m.tests.t: Starting Class.test_x ...
    ... INFO  <db> odoo.addons.m.tests.t: skipped Class.test_x : <reason>
    ... ERROR <db> odoo.addons.m.tests.t: FAIL: Class.test_x      (+ traceback)
    ... ERROR <db> odoo.addons.m.tests.t: ERROR: Class.test_x     (+ traceback)
    ... <LVL> <db> odoo.tests.result: 1 failed, 0 error(s) of 3 tests
                                      when loading database 'db'
    ... WARNING <db> odoo.modules.loading: Module m demo data failed to
                                      install, installed without demo data

Every skipped test counts as failed: Odoo itself reports "0 failed" when a
tour is skipped because Chromium or websocket-client is missing.  So does
any other ERROR or CRITICAL record (a module that cannot be installed, an
unexpected error logged during a test), demo data that failed to load, an
Odoo exit status that no test failure explains, and a run without tests.
"""

import argparse
import ast
import os
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RECORD = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) "
    r"(?P<level>[A-Z]+|\?) (?P<db>\S+) (?P<logger>\S+?):(?: (?P<msg>.*))?$"
)
SUMMARY = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database '(?P<db>.*)'$"
)
STARTING = re.compile(r"^Starting (?P<test>.+) \.\.\.$")
SKIPPED = re.compile(r"^skipped (?P<test>.+?) :(?: (?P<reason>.*))?$")
OUTCOME = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")
SUBTEST = re.compile(r"^Subtest (?P<test>\S+) ")
TEST_LOGGER = re.compile(r"(^|\.)tests(\.|$)|^unittest\b")
MODULE_OF_LOGGER = re.compile(r"^odoo\.(?:addons|upgrade)\.(?P<module>[^.]+)\.")
DEMO_FAILED = re.compile(r"^Module (?P<module>\S+) demo data failed to install")
INVALID_MODULES = re.compile(r"^invalid module names, ignored: (?P<names>.*)$")
EXCEPTION_LINE = re.compile(
    r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b"
)
# ERROR records that only repeat a test failure already counted.
TEST_ERROR_ECHOES = [
    (
        "odoo.modules.loading",
        re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests$"),
    ),
    (
        "odoo.modules.loading",
        re.compile(r"^At least one test failed when loading the modules\.$"),
    ),
    ("odoo.service.server", re.compile(r": at least one error occurred in a test$")),
    ("odoo.tests.result", SUMMARY),
]
# Records of these loggers mean that no test is running any more.
NOT_IN_TEST_LOGGERS = {
    "odoo.modules.loading",
    "odoo.modules.registry",
    "odoo.service.server",
}
INDENT = "\n        "


def read_records(path):
    """Yield (level, logger, message, continuation_lines) per log record."""
    current = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = ANSI.sub("", raw.rstrip("\n"))
            match = RECORD.match(line)
            if match:
                if current:
                    yield current
                msg = (match["msg"] or "").rstrip()
                current = (match["level"], match["logger"], msg, [])
            elif current:
                current[3].append(line)
            elif line.strip():
                # Output before the first record (e.g. a Python traceback from
                # the command line parser): keep it as a pseudo record.
                current = ("STDERR", "-", line.rstrip(), [])
    if current:
        yield current


def exception_text(lines):
    """The exception line of a traceback (and up to 2 lines after it)."""
    for index in range(len(lines) - 1, -1, -1):
        if EXCEPTION_LINE.match(lines[index]):
            tail = lines[index : index + 3]
            return INDENT.join(x.strip() for x in tail if x.strip())
    return next((x.strip() for x in reversed(lines) if x.strip()), "")


def test_label(logger, test):
    match = MODULE_OF_LOGGER.match(logger)
    return f"{match['module']}: {test}" if match else test


def base_test(test):
    match = SUBTEST.match(test)
    return match["test"] if match else test


def imported_names(init_path):
    with open(init_path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.name for alias in node.names)
            if node.module:
                names.add(node.module.split(".")[-1])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[-1] for alias in node.names)
    return names


def unimported_test_files(addons_dir, modules):
    """tests/test_*.py files not imported by tests/__init__.py (never run)."""
    missing = []
    for module in modules:
        tests_dir = os.path.join(addons_dir, module, "tests")
        if not os.path.isdir(tests_dir):
            continue
        init = os.path.join(tests_dir, "__init__.py")
        try:
            imported = imported_names(init) if os.path.isfile(init) else set()
        except SyntaxError:
            continue
        for name in sorted(os.listdir(tests_dir)):
            if name.startswith("test_") and name.endswith(".py"):
                if name[:-3] not in imported:
                    missing.append(f"{module}/tests/{name}")
    return missing


def check_database(db, modules):
    """Problems found in ir_module_module: module not installed, no demo."""
    if not db or not modules:
        return []
    try:
        import psycopg2
    except ImportError:
        return []
    try:
        conn = psycopg2.connect(dbname=db)
    except psycopg2.Error as exc:
        return [f"cannot open database {db!r} to check the modules: {exc}".strip()]
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT name, state, demo FROM ir_module_module WHERE name = ANY(%s)",
                (list(modules),),
            )
            rows = {name: (state, demo) for name, state, demo in cr.fetchall()}
    except psycopg2.Error as exc:
        return [f"cannot read the modules of database {db!r}: {exc}".strip()]
    finally:
        conn.close()
    problems = []
    for module in modules:
        state, demo = rows.get(module, ("unknown to Odoo", None))
        if state != "installed":
            problems.append(f"module {module} is not installed (state: {state})")
        elif not demo:
            problems.append(f"module {module} was installed WITHOUT demo data")
    return problems


class LogSummary:
    def __init__(self):
        self.summaries = 0
        self.tests_run = self.failures = self.errors = 0
        self.started = []  # (logger, test)
        self.bad = set()  # (logger, test) of tests that did not pass
        self.failed_tests = []  # (kind, label)
        self.skipped_tests = []  # (label, reason)
        self.problems = []
        self.current_test = None

    def feed(self, level, logger, msg, extra):
        if logger in NOT_IN_TEST_LOGGERS:
            self.current_test = None
        if logger == "odoo.tests.result" and (match := SUMMARY.match(msg)):
            self.summaries += 1
            self.failures += int(match["failed"])
            self.errors += int(match["errors"])
            self.tests_run += int(match["run"])
        elif TEST_LOGGER.search(logger) and self._test_record(level, logger, msg):
            pass
        elif level == "WARNING" and (match := DEMO_FAILED.match(msg)):
            text = f"demo data of module {match['module']} failed to load"
            self.problems.append(text + INDENT + exception_text(extra))
        elif level == "WARNING" and (match := INVALID_MODULES.match(msg)):
            self.problems.append(f"Odoo ignored unknown modules: {match['names']}")
        elif level in ("ERROR", "CRITICAL", "STDERR"):
            self._error_record(level, logger, msg, extra)

    def _test_record(self, level, logger, msg):
        """Handle Starting/skipped/FAIL/ERROR records; False if not one."""
        if level == "INFO" and (match := STARTING.match(msg)):
            self.current_test = (logger, match["test"])
            self.started.append(self.current_test)
        elif level == "INFO" and (match := SKIPPED.match(msg)):
            self.bad.add((logger, match["test"]))
            label = test_label(logger, match["test"])
            self.skipped_tests.append((label, match["reason"] or ""))
        elif level == "ERROR" and (match := OUTCOME.match(msg)):
            self.bad.add((logger, base_test(match["test"])))
            self.failed_tests.append((match["kind"], test_label(logger, match["test"])))
        else:
            return False
        return True

    def _error_record(self, level, logger, msg, extra):
        if any(logger == name and rx.search(msg) for name, rx in TEST_ERROR_ECHOES):
            return
        if level == "STDERR" and not re.search(r"Error|Traceback|error:", msg):
            return
        text = f"{level} {logger}: {msg}"
        if self.current_test:
            text += f" (during {test_label(*self.current_test)})"
        detail = exception_text(extra)
        if detail and detail != msg.strip():
            text += INDENT + detail
        self.problems.append(text)

    def finish(self, returncode, db, modules):
        if not self.summaries:
            # Odoo died before printing its report: count what the log shows.
            self.problems.append("Odoo did not print its test report (crashed?)")
            self.tests_run = len(self.started)
            kinds = [kind for kind, _label in self.failed_tests]
            self.failures, self.errors = kinds.count("FAIL"), kinds.count("ERROR")
        if returncode and not (self.failures or self.errors):
            self.problems.append(f"the Odoo process exited with status {returncode}")
        self.problems += check_database(db, modules)

    def counts(self):
        """(passed, failed, skipped); failed includes skips and problems."""
        skipped = len(self.skipped_tests)
        passed = max(0, self.tests_run - len(self.bad & set(self.started)))
        failed = self.failures + self.errors + skipped + (1 if self.problems else 0)
        if self.tests_run == 0 and failed == 0:
            self.problems.append("no test ran")
            failed = 1
        return passed, failed, skipped


def summarise(log_path, returncode=0, db=None, modules=(), addons_dir=None):
    summary = LogSummary()
    for record in read_records(log_path):
        summary.feed(*record)
    summary.finish(returncode, db, modules)
    passed, failed, skipped = summary.counts()

    print()
    print("=" * 70)
    print(f"TSL test summary ({log_path})")
    if addons_dir and modules:
        for path in unimported_test_files(addons_dir, modules):
            print(f"WARNING: {path} is not imported by its tests/__init__.py")
    for kind, label in summary.failed_tests:
        print(f"{'FAILED' if kind == 'FAIL' else 'ERROR '}  {label}")
    for label, reason in summary.skipped_tests:
        print(f"SKIPPED {label} : {reason}  (a skipped test counts as failed)")
    for problem in summary.problems:
        print(f"PROBLEM {problem}")
    print(
        f"tests run: {summary.tests_run}, failures: {summary.failures}, "
        f"errors: {summary.errors}, skipped: {skipped}, "
        f"other problems: {len(summary.problems)}"
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logfile")
    parser.add_argument("--returncode", type=int, default=0, help="Odoo's exit status")
    parser.add_argument("--db", help="database to check (module states, demo)")
    parser.add_argument("--modules", default="", help="modules installed, a,b,c")
    parser.add_argument("--addons-dir", help="our addons directory")
    args = parser.parse_args(argv)
    modules = [m for m in args.modules.split(",") if m]
    return summarise(args.logfile, args.returncode, args.db, modules, args.addons_dir)


if __name__ == "__main__":
    sys.exit(main())
