"""Benchmark of the matching escrow at 1,000,000 entries: ``python -m bench.escrow``.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ..., "database": ...}`` on
stdout, for SQLite and for PostgreSQL; progress and diagnostics go to stderr.

Each database runs in its own child process (Django's DATABASES is fixed once set up), with a
fresh database migrated from scratch: SQLite (WAL, as the product configures it) in a temporary
data directory, PostgreSQL in a dedicated database (``safelight_bench_escrow`` by default,
dropped and created again; skipped with a note when the server does not answer). The child runs
in demo mode, so the app has two local key services, with the key services' rate limits raised
far above what the bench uses. It fills the database with the load of ``bench.escrow_data``
(1,000,000 entries of about 570,000 reports, two counsellors so two sealed shares per entry,
3 % of the entries naming a person another report names too; its docstring states every
assumption), then lets the load settle as two years of use would have (VACUUM ANALYZE and a
CHECKPOINT on PostgreSQL, a WAL checkpoint on SQLite, then the kernel's write-back), and
measures:

* ``entry_bytes``: bytes stored per entry, its two shares and every index of both tables
  included: ``pg_total_relation_size`` of escrow_escrowentry and escrow_escrowshare on
  PostgreSQL; on SQLite the pages of both tables and their indexes (the ``dbstat`` table, or,
  where SQLite lacks it, the growth of the file while entries and shares were written), divided
  by the number of entries. The raw bytes of π and the ciphertexts per entry follow on stderr.
* ``match_check_p99_ms``: the real ``safelight.escrow.actions.add_entries`` for one identifier
  of a held report, inside a transaction as the intake runs it, with a precomputed 64-byte OPRF
  output (the OPRF step excluded, everything after it included): counsellor keys read, the
  entry sealed for real (``seal_entry``: HKDF, two XChaCha20-Poly1305 seals, one sealed box per
  counsellor), the entry and its shares inserted, ``record_match`` on π, and the audit event.
  80 % of the adds name someone new, 10 % a person one other report names (``record_match``
  creates a pending EscrowMatch, whose notification is queued on commit), 10 % a person whose
  match was released (the match is reopened). The time excludes the commit, which the intake
  shares with the report's own rows; ``match_check_with_commit_p99_ms`` includes it and the
  queued notification. Target: p99 < 5 ms.
* ``oprf_evaluations_per_s``, one line per kind of key service (``"service"`` field):
  ``local``, one ``LocalService`` in this process (the demo's key service: its rate-limit
  counting in the cache, then share · blinded); ``http``, one real key-service process
  (``safelight serve`` with SAFELIGHT_INTERFACES=keyservice, 2 gunicorn workers, its own data
  directory and cache) asked by the app's real client (``HttpService``: one HTTPS-less POST per
  evaluation, a new connection each, as the app asks) from several threads at once. Blinding
  and finalising are the browser's or the app's, not the key service's, and are not counted.
  The figure does not depend on the database; the counters live in the cache (files under the
  data directory, as the embedded install has them).

A missed target is printed as measured, and the plans of record_match's queries (EXPLAIN, or
EXPLAIN ANALYZE on PostgreSQL) follow on stderr, with a second, untimed series of adds whose
queries are timed one by one: how much of an add waits for the database and how much is Python;
``--explain`` prints them always. ``--quick`` is a smoke
run (20,000 entries, fewer adds and evaluations).
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.harness import ROOT, SCRUBBED, BenchError, p, recreate_postgres, relay_child

DATABASES = ("sqlite", "postgresql")
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/safelight_bench_escrow"
ENTRIES = 1_000_000
QUICK_ENTRIES = 20_000
CHECK_TARGET_MS = 5.0
JOIN_SINGLE_SHARE = 0.10  # measured adds that name a person one other report names
JOIN_RELEASED_SHARE = 0.10  # measured adds that name a person whose match was released
KEY_SERVICE_WORKERS = 2
LIMIT = 1_000_000_000  # the key services' limits, raised for the bench
EVALUATIONS_PER_SESSION = 3  # a reporter names about that many people
KEY_SERVICE_PATH = "/keyservice/evaluate"




def log(message: str) -> None:
    print(f"bench.escrow: {message}", file=sys.stderr, flush=True)



def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# The parent: one child per database ------------------------------------------------------------


def scrubbed_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def child_env(database: str, data_dir: Path, postgres_url: str) -> dict[str, str]:
    env = scrubbed_env()
    env.update({
        "SAFELIGHT_MODE": "demo",
        "SAFELIGHT_DATA_DIR": str(data_dir),
        "SAFELIGHT_LOG_LEVEL": "WARNING",
        "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT": str(LIMIT),
        "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT": str(LIMIT),
        "DJANGO_SETTINGS_MODULE": "bench.escrow_settings",
    })
    if database == "postgresql":
        env["DATABASE_URL"] = postgres_url
    return env


def run_child(database: str, args: argparse.Namespace) -> bool:
    """Run one database's benchmark; relay its JSON lines to stdout. True when it succeeded."""
    if database == "postgresql" and not recreate_postgres(args.postgres_url, log):
        return True
    data_dir = Path(tempfile.mkdtemp(prefix=f"safelight-bench-escrow-{database}-"))
    command = [sys.executable, "-m", "bench.escrow", "--child", database,
               "--entries", str(args.entries), "--checks", str(args.checks),
               "--warmup", str(args.warmup), "--evaluations", str(args.evaluations),
               "--clients", str(args.clients)]
    if args.explain:
        command.append("--explain")
    return relay_child(database, command,
                       env=child_env(database, data_dir, args.postgres_url),
                       data_dir=data_dir, postgres_url=args.postgres_url, keep=args.keep, log=log)


# The child: one database ------------------------------------------------------------------------


def emit(database: str, metric: str, value: float, unit: str, **extra: str) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit, "database": database,
                      **extra}), flush=True)


def setup_django() -> None:
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.escrow_settings":
        raise BenchError("run `python -m bench.escrow`: the child needs the environment it sets")
    import django

    django.setup()


def sqlite_pages() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        return cursor.fetchone()[0]


@dataclass
class Load:
    site: object
    plan: object
    entries: int
    sqlite_escrow_bytes: int | None  # the file's growth while entries and shares were written


def migrate_and_fill(database: str, entries: int, checks: int) -> Load:
    from django.core.management import call_command
    from django.db import connection

    from bench import escrow_data

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    log(f"{database}: migrated ({connection.vendor}) in {time.perf_counter() - start:.1f} s")
    site = escrow_data.create_site()
    sizes = escrow_data.real_sizes(site)
    rng = random.Random(2026)
    plan = escrow_data.plan(entries, singles=checks, rng=rng)
    log(f"{database}: {len(plan.reports)} reports naming {plan.entries} people "
        f"({len(plan.released)} matches released, {len(plan.pending)} pending)")
    start = time.perf_counter()
    sent = escrow_data.create_reports(site, plan)
    log(f"{database}: reports written in {time.perf_counter() - start:.0f} s")
    before = sqlite_pages() if connection.vendor == "sqlite" else 0
    start = time.perf_counter()
    tally = escrow_data.create_entries(site, plan, sent, sizes)
    log(f"{database}: entries written in {time.perf_counter() - start:.0f} s: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
    grown = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            grown = (sqlite_pages() - before) * cursor.fetchone()[0]
    # What autovacuum and the checkpoints would have done by the time a million entries had
    # accumulated: the measured adds do not wait behind the bulk load's writes to disk.
    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()  # and the kernel's write-back of the load, which would stall writes meanwhile
    done = "VACUUM ANALYZE, CHECKPOINT" if connection.vendor == "postgresql" else "WAL checkpoint"
    log(f"{database}: {done} and sync in {time.perf_counter() - start:.0f} s")
    if tally["entries"] != entries:
        raise BenchError(f"{tally['entries']} entries written, {entries} planned")
    # The filler's bookkeeping is not the app's: drop it, so that the garbage collector's
    # passes during the measured adds walk no more objects than a server process holds.
    plan.reports.clear()
    plan.released_reports.clear()
    del sent
    gc.collect()
    gc.freeze()
    return Load(site=site, plan=plan, entries=tally["entries"], sqlite_escrow_bytes=grown)


# entry_bytes ------------------------------------------------------------------------------------

TABLES = ("escrow_escrowentry", "escrow_escrowshare")


def bench_entry_bytes(database: str, load: Load) -> None:
    from django.db import connection, utils

    from safelight.escrow.models import EscrowEntry

    entries = EscrowEntry.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            total = 0
            for table in TABLES:
                cursor.execute("SELECT pg_total_relation_size(%s), pg_relation_size(%s), "
                               "pg_indexes_size(%s)", [table, table, table])
                size, heap, indexes = cursor.fetchone()
                total += size
                log(f"{database}: {table}: {size / 2**20:.0f} MiB in all, table "
                    f"{heap / 2**20:.0f} MiB, indexes {indexes / 2**20:.0f} MiB")
            how = "pg_total_relation_size of both tables"
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name IN (%s, %s)", TABLES)
            names = [row[0] for row in cursor.fetchall()]
            try:
                marks = ", ".join(["%s"] * len(names))
                cursor.execute(f"SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ({marks}) "  # noqa: S608 - placeholders only
                               "GROUP BY name ORDER BY 2 DESC", names)
                sizes = cursor.fetchall()
            except utils.OperationalError:  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB
                sizes = None
            if sizes is not None:
                total = sum(size for _, size in sizes)
                for name, size in sizes:
                    log(f"{database}: {name}: {size / 2**20:.0f} MiB")
                how = "dbstat pages of both tables and their indexes"
            else:
                total = load.sqlite_escrow_bytes
                how = "the file's growth while entries and shares were written"
            if load.sqlite_escrow_bytes is not None:
                log(f"{database}: the file grew by {load.sqlite_escrow_bytes / 2**20:.0f} MiB "
                    "while entries and shares were written")
        cursor.execute("SELECT COUNT(*), SUM(LENGTH(match_index)), SUM(LENGTH(sealed_data)) "
                       "FROM escrow_escrowentry")
        count, pi_bytes, data_bytes = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), SUM(LENGTH(sealed)) FROM escrow_escrowshare")
        share_count, share_bytes = cursor.fetchone()
    per_entry = round(total / entries)
    emit(database, "entry_bytes", per_entry, "bytes")
    raw = (pi_bytes + data_bytes + share_bytes) / count
    log(f"{database}: entry_bytes {per_entry} ({how}, {entries} entries, {share_count} shares); "
        f"raw column bytes per entry: π {pi_bytes / count:.0f} + sealed data "
        f"{data_bytes / count:.0f} + {share_count / count:.0f} sealed shares "
        f"{share_bytes / count:.0f} = {raw:.0f}, plus ids, dates and the path; the rest is "
        "row and page overhead and the indexes")


# match_check ------------------------------------------------------------------------------------


@dataclass
class Add:
    report: object
    output: bytes
    identity_key: bytes | None
    kind: str  # "new", "joins-single", "joins-released"


def planned_adds(load: Load, reports: list, warmup: int, rng: random.Random,
                 used: set[int]) -> list[Add]:
    """One add per report; the persons it names again are added to ``used``."""
    plan = load.plan
    singles = [person for person in plan.singles if person not in used]
    released = [person for person in sorted(plan.released) if person not in used]
    rng.shuffle(singles)
    rng.shuffle(released)
    adds = []
    for number, report in enumerate(reports):
        roll = rng.random()
        kind = "new"
        output = rng.randbytes(64)
        person = None
        if number >= warmup and roll < JOIN_SINGLE_SHARE and singles:
            kind, person = "joins-single", singles.pop()
        elif number >= warmup and roll < JOIN_SINGLE_SHARE + JOIN_RELEASED_SHARE and released:
            kind, person = "joins-released", released.pop()
        if person is not None:
            output = plan.outputs[person]
            used.add(person)
        adds.append(Add(report=report, output=output, kind=kind,
                        identity_key=rng.randbytes(32) if rng.random() < 0.3 else None))
    return adds


def add_one(add: Add) -> tuple[float, float, list]:
    """(seconds in add_entries, seconds including the commit, the entries made)."""
    from django.db import transaction

    from safelight.escrow.actions import add_entries
    from safelight.reports.sealing import b64

    identifiers = [{"kind": "instagram", "output": b64(add.output), "path": "browser"}]
    with transaction.atomic():
        start = time.perf_counter()
        made = add_entries(report=add.report, report_key=secrets.token_bytes(32),
                           identity_key=add.identity_key, identifiers=identifiers)
        inside = time.perf_counter() - start
    return inside, time.perf_counter() - start, made


def where_time_goes(database: str, load: Load, count: int = 300) -> None:
    """A second, untimed series of adds (people no one named) with every query timed: how much of
    an add is waiting for the database, how much is Python (ORM, sealing), and what the slowest
    adds spent their time on. Not part of the metric (the query timer adds a little)."""
    from django.db import connection

    from bench import escrow_data

    reports = escrow_data.new_held_reports(load.site, count, seed=4242)
    adds = planned_adds(load, reports, count, random.Random(43), set())  # all "new"
    queries: list[tuple[float, str]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - start, sql))

    results = []
    with connection.execute_wrapper(timer):
        for add in adds:
            queries.clear()
            inside, _with_commit, _made = add_one(add)
            results.append((inside, sum(t for t, _ in queries), max(queries)))
    sql = [r[1] for r in results]
    rest = [r[0] - r[1] for r in results]
    log(f"{database}: where an add's time goes ({count} more adds, each query timed): waiting "
        f"for the database p50 {ms(statistics.median(sql))} ms, p99 {ms(p(sql, 0.99))} ms; "
        f"the rest (ORM, sealing, Python) p50 {ms(statistics.median(rest))} ms, "
        f"p99 {ms(p(rest, 0.99))} ms")
    for inside, waited, (slowest, text) in sorted(results, reverse=True)[:5]:
        log(f"    an add of {ms(inside)} ms: {ms(waited)} ms in queries, the slowest "
            f"{ms(slowest)} ms: {text[:70]}")


def explain_match(database: str, organisation, match_index: bytes) -> None:
    """The plans of record_match's queries, on stderr."""
    from django.db import connection

    from safelight.escrow.models import EscrowEntry, EscrowMatch

    queries = {
        "record_match: entries of π": EscrowEntry.objects.filter(
            organisation=organisation, match_index=match_index,
        ).values_list("report_id", flat=True).distinct()[:2],
        "record_match: the match of π": EscrowMatch.objects.filter(
            organisation=organisation, match_index=match_index),
    }
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    for label, queryset in queries.items():
        log(f"{database}: plan of {label}:\n    {queryset.query}")
        for line in queryset.explain(**options).splitlines():
            log(f"    {line}")


def bench_match_check(database: str, load: Load, args: argparse.Namespace) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench import escrow_data
    from safelight.escrow.models import EscrowEntry, EscrowMatch, MatchState

    site = load.site
    reports = escrow_data.new_held_reports(site, args.warmup + args.checks + 2)
    used: set[int] = set()
    adds = planned_adds(load, reports[:-2], args.warmup, random.Random(31), used)
    entries_before = EscrowEntry.objects.count()
    matches_before = EscrowMatch.objects.count()
    pending_before = EscrowMatch.objects.filter(state=MatchState.PENDING).count()
    log(f"{database}: adding {args.checks} entries after {args.warmup} warm-up adds "
        f"({sum(a.kind == 'joins-single' for a in adds)} name a person one other report names, "
        f"{sum(a.kind == 'joins-released' for a in adds)} a person whose match was released)")
    inside: dict[str, list[float]] = {}
    committed: list[float] = []
    for number, add in enumerate(adds):
        seconds, with_commit, made = add_one(add)
        if len(made) != 1:
            raise BenchError(f"add_entries made {len(made)} entries for one identifier")
        if number >= args.warmup:
            inside.setdefault(add.kind, []).append(seconds)
            committed.append(with_commit)
    samples = [s for values in inside.values() for s in values]
    joins = {kind: sum(a.kind == kind for a in adds) for kind in ("joins-single",
                                                                  "joins-released")}
    added = EscrowEntry.objects.count() - entries_before
    new_matches = EscrowMatch.objects.count() - matches_before
    pending = EscrowMatch.objects.filter(state=MatchState.PENDING).count() - pending_before
    log(f"{database}: {added} entries added, {new_matches} matches created, "
        f"{pending} more matches pending")
    if (added != len(adds) or new_matches != joins["joins-single"]
            or pending != joins["joins-single"] + joins["joins-released"]):
        raise BenchError("the adds did not find the matches they should have: "
                         f"{joins} planned, {new_matches} created, {pending} more pending")
    p99 = ms(p(samples, 0.99))
    emit(database, "match_check_p99_ms", p99, "ms")
    emit(database, "match_check_p50_ms", ms(statistics.median(samples)), "ms")
    emit(database, "match_check_with_commit_p99_ms", ms(p(committed, 0.99)), "ms")
    for kind, values in sorted(inside.items()):
        log(f"{database}: {kind}: {len(values)} adds, p50 {ms(statistics.median(values))} ms, "
            f"p99 {ms(p(values, 0.99))} ms, max {ms(max(values))} ms")
    log(f"{database}: with the commit: p50 {ms(statistics.median(committed))} ms, "
        f"p99 {ms(p(committed, 0.99))} ms")

    # The queries of one add of each kind, in transactions rolled back (not timed).
    class Rollback(Exception):
        pass

    spare = planned_adds(load, reports[-2:], 0, random.Random(32), used)
    spare[0].kind, spare[0].output = "new", secrets.token_bytes(64)
    single = next(person for person in load.plan.singles if person not in used)
    spare[1].kind, spare[1].output = "joins-single", load.plan.outputs[single]
    for add in spare:
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                add_one(add)
                raise Rollback
        except Rollback:
            pass
        queries = [q for q in captured.captured_queries
                   if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE")]
        # add_one's transaction is a savepoint inside the one rolled back: not one of the add's.
        if queries and queries[0]["sql"].startswith("SAVEPOINT"):
            queries = queries[1:]
        if queries and queries[-1]["sql"].startswith("RELEASE SAVEPOINT"):
            queries = queries[:-1]
        log(f"{database}: one add ({add.kind}) makes {len(queries)} queries:")
        for query in queries:  # Django keeps the time in whole milliseconds
            taken = float(query["time"]) * 1000
            log(f"    {f'{taken:.0f} ms' if taken else '< 1 ms':>7}  {query['sql'][:140]}")
    met = p99 < CHECK_TARGET_MS
    if not met:
        log(f"{database}: match_check_p99_ms is {p99} ms: target < {CHECK_TARGET_MS:.0f} ms "
            "MISSED")
    if args.explain or not met:
        from safelight.crypto import escrow

        explain_match(database, site.organisation,
                      escrow.derive_entry_keys(adds[-1].output).match_index)
        where_time_goes(database, load)


# oprf_evaluations_per_s -------------------------------------------------------------------------


def blinded_elements(count: int = 256) -> list[bytes]:
    from safelight.crypto import oprf

    return [oprf.blind(f"bench-identifier-{n}".encode())[1] for n in range(count)]


def session(number: int) -> str:
    return f"bench-session-{number // EVALUATIONS_PER_SESSION:08d}"


def bench_oprf_local(database: str, evaluations: int) -> None:
    from django.conf import settings

    from safelight.crypto import oprf
    from safelight.escrow import keyservice_limits, keyservices

    first = settings.SAFELIGHT_KEY_SERVICES[0]
    if first["BACKEND"] != "local":
        raise BenchError("the demo's key services should be local")
    service = keyservices.LocalService(name="bench-local", share=first["SHARE"])
    blinded = blinded_elements()
    warmup = 20
    for number in range(warmup):
        service.evaluate(blinded[number % len(blinded)], f"warm-up-{number}")
    start = time.perf_counter()
    for number in range(evaluations):
        service.evaluate(blinded[number % len(blinded)], session(number))
    seconds = time.perf_counter() - start
    emit(database, "oprf_evaluations_per_s", round(evaluations / seconds), "evaluations/s",
         service="local")
    start = time.perf_counter()
    for number in range(evaluations):
        oprf.blind_evaluate(first["SHARE"], blinded[number % len(blinded)])
    bare = time.perf_counter() - start
    counted = keyservice_limits.used("local:bench-local")
    log(f"{database}: local key service: {evaluations} evaluations in {seconds:.2f} s, "
        f"{seconds / evaluations * 1e6:.0f} µs each, of which the group operation alone "
        f"{bare / evaluations * 1e6:.0f} µs and the rate-limit counting in the cache "
        f"({settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}) the rest; "
        f"a new session every {EVALUATIONS_PER_SESSION} evaluations")
    if counted != evaluations + warmup:
        log(f"{database}: WARNING: the key service's daily counter says {counted}, "
            f"{evaluations + warmup} evaluations were made: the cache lost count")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KeyServiceProcess:
    """A real key service: ``safelight serve`` with SAFELIGHT_INTERFACES=keyservice."""

    def __init__(self, directory: Path, share: bytes, token: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log_path = directory / "server.log"
        env = scrubbed_env()
        env.update({
            "SAFELIGHT_MODE": "demo",
            "SAFELIGHT_INTERFACES": "keyservice",
            "SAFELIGHT_KEY_SHARE": share.hex(),
            "SAFELIGHT_KEY_SERVICE_TOKEN": token,
            "SAFELIGHT_KEY_SERVICE_SESSION_LIMIT": str(LIMIT),
            "SAFELIGHT_KEY_SERVICE_DAILY_LIMIT": str(LIMIT),
            "SAFELIGHT_DATA_DIR": str(directory),
            "SAFELIGHT_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "safelight.settings",
            # gunicorn's control socket, if any, in the throw-away directory.
            "XDG_RUNTIME_DIR": str(directory),
        })
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "safelight.cli", "serve", "--bind",
                 f"127.0.0.1:{self.port}", "--workers", str(KEY_SERVICE_WORKERS)],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=log_file, start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{self.port}{KEY_SERVICE_PATH}"
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"the key service stopped at start:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", KEY_SERVICE_PATH)
                status = connection.getresponse().status
                connection.close()
                if status != 405:  # a key service takes POST only
                    raise BenchError(f"GET {KEY_SERVICE_PATH} answered {status}, expected 405:"
                                     f"\n{self.log_tail()}")
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise BenchError(f"the key service did not answer:\n{self.log_tail()}"
                                     ) from None
                time.sleep(0.2)
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        while time.monotonic() < deadline:
            try:
                if len(children.read_text().split()) >= KEY_SERVICE_WORKERS:
                    break
            except OSError:
                break
            time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn master and its workers (Linux /proc)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = [self.process.pid, *map(int, children.read_text().split())]
        except OSError:
            return 0.0
        total = 0
        for pid in pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session
                self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def bench_oprf_http(database: str, evaluations: int, clients: int) -> None:
    from safelight.crypto import oprf
    from safelight.escrow import keyservices

    share = oprf.generate_key()
    token = secrets.token_urlsafe(32)
    directory = Path(os.environ["SAFELIGHT_DATA_DIR"]) / "keyservice"
    server = KeyServiceProcess(directory, share, token)
    try:
        service = keyservices.HttpService(name="bench-http", url=server.url, token=token)
        blinded = blinded_elements()
        answers: dict[int, bytes] = {}
        lock = threading.Lock()
        for number in range(20):  # warm-up: both workers, their imports and caches
            service.evaluate(blinded[number % len(blinded)], f"warm-up-{number}")
        alone = []
        for number in range(min(200, evaluations)):
            start = time.perf_counter()
            service.evaluate(blinded[number % len(blinded)], f"alone-{number}")
            alone.append(time.perf_counter() - start)

        def client(numbers: range) -> None:
            for number in numbers:
                evaluated = service.evaluate(blinded[number % len(blinded)], session(number))
                with lock:
                    answers[number] = evaluated

        per_client = evaluations // clients
        cpu = server.cpu_seconds()
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            futures = [pool.submit(client, range(c * per_client, (c + 1) * per_client))
                       for c in range(clients)]
            for future in futures:
                future.result()
        seconds = time.perf_counter() - start
        cpu = server.cpu_seconds() - cpu
        done = per_client * clients
        emit(database, "oprf_evaluations_per_s", round(done / seconds), "evaluations/s",
             service="http")
        wrong = sum(answers[n] != oprf.blind_evaluate(share, blinded[n % len(blinded)])
                    for n in answers)
        log(f"{database}: HTTP key service ({KEY_SERVICE_WORKERS} gunicorn workers): {done} "
            f"evaluations from {clients} threads in {seconds:.2f} s, the key service's CPU "
            f"{cpu / done * 1000:.2f} ms per evaluation (the threads asking share the machine's "
            f"{os.cpu_count()} cores); one request at a time: "
            f"p50 {ms(statistics.median(alone))} ms, p99 {ms(p(alone, 0.99))} ms")
        if wrong or len(answers) != done:
            raise BenchError(f"the key service gave {wrong} wrong answers of {len(answers)}")
    finally:
        server.stop()


def child(database: str, args: argparse.Namespace) -> None:
    setup_django()
    from django.db import connection

    expected = "sqlite" if database == "sqlite" else "postgresql"
    if connection.vendor != expected:
        raise BenchError(f"the child for {database} is connected to {connection.vendor}")
    started = time.perf_counter()
    load = migrate_and_fill(database, args.entries, args.warmup + args.checks)
    emit(database, "entries_in_database", load.entries, "entries")
    bench_entry_bytes(database, load)
    bench_match_check(database, load, args)
    bench_oprf_local(database, args.evaluations)
    bench_oprf_http(database, args.evaluations, args.clients)
    log(f"{database}: done in {time.perf_counter() - started:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--entries", type=int, help=f"escrow entries (default {ENTRIES:,}; "
                        f"{QUICK_ENTRIES:,} with --quick)")
    parser.add_argument("--checks", type=int, help="timed adds (default 1000; 200 with --quick)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up adds")
    parser.add_argument("--evaluations", type=int,
                        help="OPRF evaluations per key service (default 4000; 400 with --quick)")
    parser.add_argument("--clients", type=int, default=4,
                        help="threads asking the HTTP key service at once")
    parser.add_argument("--quick", action="store_true", help="a smoke run: a small load")
    parser.add_argument("--postgres-url", default=os.environ.get(
        "SAFELIGHT_BENCH_ESCROW_POSTGRES_URL", POSTGRES_URL),
        help="a throw-away database, dropped and created again (default: %(default)s)")
    parser.add_argument("--explain", action="store_true",
                        help="print the plans of record_match's queries even when on target")
    parser.add_argument("--keep", action="store_true", help="keep the databases and data dirs")
    parser.add_argument("--child", choices=DATABASES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.entries is None:
        args.entries = QUICK_ENTRIES if args.quick else ENTRIES
    if args.checks is None:
        args.checks = 200 if args.quick else 1000
    if args.evaluations is None:
        args.evaluations = 400 if args.quick else 4000
    if args.entries < 1000 or args.checks < 10 or args.evaluations < args.clients:
        parser.error("--entries, --checks or --evaluations is too small to measure")
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
