"""Benchmark of the staff inbox and the reminder run at 100,000 cases: ``python -m bench.cases``.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ..., "database": ...}`` on
stdout, for SQLite and for PostgreSQL; progress and diagnostics go to stderr.

Each database runs in its own child process (Django's DATABASES is fixed once set up), with a
fresh database migrated from scratch: SQLite (WAL, as the product configures it) in a temporary
data directory, PostgreSQL in a dedicated database (``safelight_bench`` by default, dropped and
created again; skipped with a note when the server does not answer). The child fills it with
the case load of ``bench.cases_data`` (100,000 reports over two years, ~280,000 key rows; on
PostgreSQL followed by VACUUM ANALYZE, as autovacuum would have run by then; SQLite gets no
ANALYZE, as the product never runs one), then:

* signs the measured handler in the real way (password and TOTP code, which unlocks their
  private key into the session) and drives the real view with Django's test client, in-process:
  the inbox's first page (``/staff/reports/``) and a filtered page (status in progress, deadline
  overdue), interleaved, after a warm-up; ``inbox_first_page_p95_ms`` and
  ``inbox_filtered_p95_ms`` are their 95th percentiles (target < 100 ms each);
* checks, outside the timing, that every page measured answers 200 with 25 rows, and counts the
  queries of several pages of each kind: the count must be the same small number on every page
  (no per-row query), or the bench fails;
* times one full reminder run (``safelight.cases.reminder_actions.send_reminders``, locmem email
  backend) over the same cases: ``reminder_run_s`` (target < 10 s).

A missed target is printed as measured, and the plans of the inbox's queries (EXPLAIN, or
EXPLAIN ANALYZE on PostgreSQL) follow on stderr; ``--explain`` prints them always.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, SCRUBBED, BenchError, p, recreate_postgres, relay_child

DATABASES = ("sqlite", "postgresql")
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/safelight_bench"
CASES = 100_000
FIRST_PAGE = "/staff/reports/"
FILTERED_PAGE = "/staff/reports/?status=in_progress&due=overdue"
PAGE_TARGET_MS = 100.0
REMINDER_TARGET_S = 10.0
ROWS_PER_PAGE = 25
MAX_QUERIES_PER_PAGE = 15
ROW = re.compile(rb'<tr class="status-')
CAPPED = b"More than 1,000 cases"
COUNT_CAP = 1000
TOTAL = re.compile(rb'<p class="help">([\d,]+) cases?</p>')




def log(message: str) -> None:
    print(f"bench.cases: {message}", file=sys.stderr, flush=True)



def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# The parent: one child per database ------------------------------------------------------------


def child_env(database: str, data_dir: Path, postgres_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({
        "SAFELIGHT_MODE": "demo",
        "SAFELIGHT_DATA_DIR": str(data_dir),
        "SAFELIGHT_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench.cases_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    })
    if database == "postgresql":
        env["DATABASE_URL"] = postgres_url
    return env


def run_child(database: str, args: argparse.Namespace) -> bool:
    """Run one database's benchmark; relay its JSON lines to stdout. True when it succeeded."""
    if database == "postgresql" and not recreate_postgres(args.postgres_url, log):
        return True
    data_dir = Path(tempfile.mkdtemp(prefix=f"safelight-bench-cases-{database}-"))
    command = [sys.executable, "-m", "bench.cases", "--child", database,
               "--cases", str(args.cases), "--requests", str(args.requests),
               "--warmup", str(args.warmup)]
    if args.explain:
        command.append("--explain")
    return relay_child(database, command,
                       env=child_env(database, data_dir, args.postgres_url),
                       data_dir=data_dir, postgres_url=args.postgres_url, keep=args.keep, log=log)


# The child: one database ------------------------------------------------------------------------


def emit(database: str, metric: str, value: float, unit: str) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit, "database": database}),
          flush=True)


def setup_django() -> None:
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.cases_settings":
        raise BenchError("run `python -m bench.cases`: the child needs the environment it sets")
    import django

    django.setup()


def migrate_and_fill(database: str, cases: int):
    from django.core.management import call_command
    from django.db import connection

    from bench import cases_data

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"{database}: migrated ({connection.vendor}) in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    site = cases_data.create_site()
    tally = cases_data.create_reports(site, cases)
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time 100,000 cases had accumulated.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - start
    log(f"{database}: {tally['reports']} reports, {tally['keys']} key rows, "
        f"{tally['conflicts']} conflicts, {tally['assigned']} assigned, in {seconds:.0f} s")
    log(f"{database}: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())
                                   if k.startswith(("status", "overdue"))))
    return site


def signed_in_client(handler):
    """Django's test client, signed in as ``handler`` with password and TOTP (tests.conftest)."""
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.cases_data import PASSWORD

    device = TOTPDevice.objects.create(user=handler.user, confirmed=True, name="authenticator")
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    client = Client()
    response = client.post(
        "/staff/sign-in/",
        {"username": handler.user.username, "password": PASSWORD, "code": code},
    )
    if response.status_code != 302:
        raise BenchError(f"signing in answered {response.status_code}, expected 302")
    return client


def check_page(client, path: str) -> tuple[int, int, list[dict]]:
    """(rows, total shown, captured queries) of one page, with its status checked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"{path} answered {response.status_code}, expected 200")
    rows = len(ROW.findall(response.content))
    if CAPPED in response.content:
        # The inbox counts up to 1,000 (cases/views/staff_inbox.py): pages 1..40 are reachable.
        return rows, COUNT_CAP, captured.captured_queries
    total = TOTAL.search(response.content)
    return rows, int(total.group(1).replace(b",", b"")) if total else 0, captured.captured_queries


def check_pages(database: str, client, base: str, label: str) -> list[dict]:
    """Every page of this kind that is checked has 25 rows and the same few queries."""
    joiner = "&" if "?" in base else "?"
    rows, total, first_queries = check_page(client, base)
    last_page = (total + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE
    log(f"{database}: {label}: {total} cases in {last_page} pages")
    if last_page < 3:
        raise BenchError(f"{label}: only {total} cases; the data should give many pages")
    counts = {}
    for page in sorted({1, 2, 3, last_page // 2, last_page - 1} & set(range(1, last_page))):
        path = base if page == 1 else f"{base}{joiner}page={page}"
        rows, _total, queries = check_page(client, path)
        if rows != ROWS_PER_PAGE:
            raise BenchError(f"{path}: {rows} rows, expected {ROWS_PER_PAGE}")
        counts[page] = len(queries)
    shown = ", ".join(f"page {page}: {count}" for page, count in counts.items())
    log(f"{database}: {label}: queries per request ({shown}); 25 rows on each page")
    for query in first_queries:
        log(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    if len(set(counts.values())) != 1:
        raise BenchError(f"{label}: the number of queries changes with the page: {shown}")
    if max(counts.values()) > MAX_QUERIES_PER_PAGE:
        raise BenchError(f"{label}: {max(counts.values())} queries per page, more than "
                         f"{MAX_QUERIES_PER_PAGE}")
    return first_queries


def time_pages(client, paths: dict[str, str], warmup: int, requests: int
               ) -> dict[str, list[float]]:
    """Interleaved GETs of each path; seconds per request. Status checked after the clock."""
    for _ in range(warmup):
        for path in paths.values():
            client.get(path)
    timings: dict[str, list[float]] = {label: [] for label in paths}
    for _ in range(requests):
        for label, path in paths.items():
            start = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise BenchError(f"{path} answered {response.status_code} while timed")
            timings[label].append(elapsed)
    return timings


def explain(database: str, queries: list[dict], label: str) -> None:
    """The plans of the page's queries that read reports, on stderr."""
    from django.db import connection

    for query in queries:
        sql = query["sql"]
        if '"intake_report"' not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        if connection.vendor == "postgresql":
            prefix = "EXPLAIN (ANALYZE, BUFFERS) "
        else:
            prefix = "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            plan = cursor.fetchall()
        shown = sql if len(sql) <= 400 else f"{sql[:200]} ... {sql[-200:]}"
        log(f"{database}: {label}: plan of\n    {shown}")
        for row in plan:
            text = row[0] if connection.vendor == "postgresql" else f"{row[1]:>3} {row[3]}"
            log(f"    {text}")


def bench_inbox(database: str, site, args: argparse.Namespace) -> bool:
    """Returns whether both pages met the target."""
    client = signed_in_client(site.measured)
    first_queries = check_pages(database, client, FIRST_PAGE, "first page")
    filtered_queries = check_pages(database, client, FILTERED_PAGE, "filtered page")
    log(f"{database}: timing {args.requests} requests of each page after {args.warmup} "
        "warm-up rounds")
    timings = time_pages(client, {"first": FIRST_PAGE, "filtered": FILTERED_PAGE},
                         args.warmup, args.requests)
    met = True
    for label, metric in (("first", "inbox_first_page"), ("filtered", "inbox_filtered")):
        samples = timings[label]
        p95 = ms(p(samples, 0.95))
        emit(database, f"{metric}_p95_ms", p95, "ms")
        emit(database, f"{metric}_p50_ms", ms(statistics.median(samples)), "ms")
        if p95 >= PAGE_TARGET_MS:
            met = False
            log(f"{database}: {metric}_p95_ms is {p95} ms: target < {PAGE_TARGET_MS:.0f} ms "
                "MISSED")
    emit(database, "inbox_queries_per_page", len(first_queries), "queries")
    if args.explain or not met:
        explain(database, first_queries, "first page")
        explain(database, filtered_queries, "filtered page")
    return met


def bench_reminders(database: str) -> bool:
    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from safelight.cases.models import ReminderSent
    from safelight.cases.reminder_actions import send_reminders

    mail.outbox = []
    start = time.perf_counter()
    sent = send_reminders()
    seconds = time.perf_counter() - start
    emit(database, "reminder_run_s", round(seconds, 3), "s")
    log(f"{database}: reminder run: {sent} digests sent, {len(mail.outbox)} mails in the outbox, "
        f"{sum(ReminderSent.objects.values_list('cases', flat=True))} cases counted, "
        f"{seconds:.2f} s")
    for message in mail.outbox:
        log(f"    to {', '.join(message.to)}: {message.subject}")
    if sent == 0 or len(mail.outbox) != sent:
        raise BenchError(f"the reminder run sent {sent} digests and {len(mail.outbox)} mails; "
                         "the data has due cases for several handlers")

    # Its queries, counted in a second run that is rolled back (not timed).
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            ReminderSent.objects.all().delete()
            send_reminders()
            raise Rollback
    except Rollback:
        pass
    log(f"{database}: a reminder run makes {len(captured.captured_queries) - 1} queries:")
    for query in captured.captured_queries[1:]:
        log(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    met = seconds < REMINDER_TARGET_S
    if not met:
        log(f"{database}: reminder_run_s is {seconds:.2f} s: target < {REMINDER_TARGET_S:.0f} s "
            "MISSED")
    return met


def child(database: str, args: argparse.Namespace) -> None:
    setup_django()
    from django.db import connection

    expected = "sqlite" if database == "sqlite" else "postgresql"
    if connection.vendor != expected:
        raise BenchError(f"the child for {database} is connected to {connection.vendor}")
    site = migrate_and_fill(database, args.cases)
    emit(database, "cases_in_database", args.cases, "cases")
    bench_inbox(database, site, args)
    bench_reminders(database)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up rounds")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "SAFELIGHT_BENCH_POSTGRES_URL", POSTGRES_URL),
        help="a throw-away database, dropped and created again (default: %(default)s)")
    parser.add_argument("--explain", action="store_true",
                        help="print the plans of the inbox's queries even when on target")
    parser.add_argument("--keep", action="store_true", help="keep the databases and data dirs")
    parser.add_argument("--child", choices=DATABASES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args)
        return
    databases = DATABASES if args.database == "both" else (args.database,)
    failed = [database for database in databases if not run_child(database, args)]
    if failed:
        raise BenchError(f"failed on {', '.join(failed)}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        log(f"failed: {exc}")
        sys.exit(1)
