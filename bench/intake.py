"""Benchmark of report intake through the HTTP stack: ``python -m bench.intake`` from the root.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ...}`` on stdout; progress and
diagnostics go to stderr.

A throw-away demo site (``SAFELIGHT_MODE=demo``, a temporary data directory, the demo
organisation's channels) is served by gunicorn with 2 workers, exactly as ``safelight serve``
runs it, with one addition selected by ``bench.intake_settings``: a bench-only baseline view
(bench.intake_baseline) that stores the same answers and the same 1 MiB file unencrypted, in
one request. Both sides are driven by the same concurrent clients, interleaved, in the same run:

* encrypted: the product's own reporter flow, one client session (cookie jar, connection) per
  report: GET the channel page (CSRF cookie), POST start, POST each of the 6 steps (multipart,
  the file on step 5), POST review, which shows the receipt. A second variant also follows every
  redirect with the GET a browser would make (``intake_encrypted_browser_per_s``).
* baseline: one multipart POST with every answer and the file.

After the run every report and file is counted in the database and on disk; a mismatch fails the
bench. Then 50 concurrent clients, each with its own report opened by its receipt beforehand (one
Argon2id run each, not timed), fetch the follow-up page; its p95 latency is reported.
``receipt_argon2_ms`` is the receipt's Argon2id step alone, timed in this process.
"""

from __future__ import annotations

import argparse
import http.client
import io
import itertools
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from safelight.crypto import derive_receipt_keys, generate_receipt

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
WORKERS = 2
ORGANISATION = "demo"
CHANNEL = "form-1"  # the demo's "Harassment at work" (neutral address)
CHANNEL_PATH = f"/{ORGANISATION}/{CHANNEL}/"
REVIEW_PATH = f"{CHANNEL_PATH}review/"
BASELINE_PATH = "/bench/baseline/"  # bench.intake_baseline.BASELINE_PATH (not imported: Django)
RECEIPT = re.compile(rb'<p class="receipt" id="receipt"><code>([0-9 ]+)</code></p>')
FILE_NAME = "IMG_20261103_221547.jpg"
STEP_COUNT = 6
FILE_STEP = 5

LONG = (
    "Since October a former colleague sends me messages late every night, from new accounts "
    "each time I block one. He knows where I have been during the day, so I think he can see "
    "my location. Last week he wrote that he would share photos of me with my team. "
) * 3
ANSWERS: dict[int, list[tuple[str, str]]] = {
    1: [("q_what_happened", LONG), ("q_abuse_kinds", "threats"), ("q_abuse_kinds", "location"),
        ("q_abuse_kinds", "other"), ("q_abuse_other", "Fake profiles in my name.")],
    2: [("q_when_from", "2026-10-01"), ("q_when_to", "2026-11-03"), ("q_ongoing", "yes"),
        ("q_platforms", "WhatsApp, Instagram, my work email, probably a tracker in my car.")],
    3: [("q_who", "A former colleague from the sales team; he uses the name jm_1987."),
        ("q_others_to_avoid", "His friend in the IT department.")],
    4: [("q_impact", "I do not sleep well and I am afraid to go to the office."),
        ("q_tech_dependence", "no")],
    5: [("q_already_done", "I blocked him and reported one profile to Instagram."),
        ("q_wanted", "That it stops, and help checking my phone and car.")],
    6: [("q_name", "Rosa Reporter"), ("q_contact", "Signal, after 6 pm.")],
}

# Environment variables that would point the throw-away site at something real, or change it.
SCRUBBED = (
    "DATABASE_URL", "SAFELIGHT_CACHE_URL", "SAFELIGHT_SECRET_KEY", "SAFELIGHT_RECEIPT_PEPPER",
    "SAFELIGHT_ALLOWED_HOSTS", "SAFELIGHT_DEBUG", "SAFELIGHT_HTTPS", "SAFELIGHT_INTERFACES",
    "DJANGO_SETTINGS_MODULE",
)


class BenchError(RuntimeError):
    pass


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit}), flush=True)


def log(message: str) -> None:
    print(f"bench.intake: {message}", file=sys.stderr, flush=True)


# The file ---------------------------------------------------------------------------------------


def photo(size: int = MIB) -> bytes:
    """A photo-like JPEG of exactly ``size`` bytes, with the EXIF block a phone would add.

    Noisy content (so it does not compress away) at the highest quality that fits, then padded
    to the exact size with comment segments, which the product strips like other metadata.
    """
    from PIL import Image

    width, height = 1280, 960
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    picture = Image.blend(noise, gradient, 0.35)
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"  # Make
    exif[0x0110] = "FP5"  # Model
    exif[0x0132] = "2026:11:03 22:15:47"  # DateTime
    best = b""
    low, high = 30, 98
    while low <= high:
        quality = (low + high) // 2
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, exif=exif)
        data = out.getvalue()
        if len(data) <= size - 16:
            best, low = data, quality + 1
        else:
            high = quality - 1
    if not best:
        raise BenchError("could not make a JPEG small enough")
    padding = []
    missing = size - len(best)
    while missing:
        payload = min(missing - 4, 65533 - 2)
        if 0 < missing - 4 - payload < 4:  # leave room for a whole last segment
            payload -= 8
        padding.append(b"\xff\xfe" + (payload + 2).to_bytes(2, "big") + b"c" * payload)
        missing -= payload + 4
    data = best[:2] + b"".join(padding) + best[2:]
    if len(data) != size:
        raise BenchError(f"the JPEG is {len(data)} bytes, not {size}")
    return data


# HTTP -------------------------------------------------------------------------------------------


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]
              ) -> tuple[bytes, str]:
    boundary = "----safelightbench" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8") + b"\r\n"
        )
    for name, filename, content_type, data in files:
        parts.append(
            (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
             f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n').encode()
            + data + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Response:
    status: int
    location: str
    body: bytes


@dataclass
class Browser:
    """One visitor: a keep-alive connection and a cookie jar, as a browser without JavaScript."""

    port: int
    timings: dict[str, list[float]] | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, label: str, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "safelight-bench"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                raw = self.connection.getresponse()
                data = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection (idle timeout) before this request.
                self.close()
                if attempt == 2:
                    raise
                log(f"connection closed by the server; {method} {path} sent again")
        elapsed = time.perf_counter() - start
        if self.timings is not None:
            self.timings[label].append(elapsed)
        for header in raw.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if raw.will_close:
            self.close()
        return Response(raw.status, raw.getheader("Location") or "", data)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        text = response.body.decode("utf-8", "replace")
        alert = re.search(r'role="alert"[^>]*>(.*?)</div>', text, re.S)
        main = re.search(r"<main[^>]*>(.*?)</main>", text, re.S)
        shown = alert.group(1) if alert else main.group(1) if main else text
        detail = " ".join(re.sub(r"<[^>]+>", " ", shown).split())[:600]
        raise BenchError(f"{what}: HTTP {response.status}, expected {status}: {detail}")
    return response


def _path(location: str) -> str:
    return urlsplit(location).path


def encrypted_report(port: int, image: bytes, timings: dict[str, list[float]],
                     follow: bool = False) -> str:
    """The product's reporter flow for one report; returns the receipt shown at the end.

    ``follow``: also GET every page a browser is redirected to, as a real one would.
    """
    browser = Browser(port, timings)
    try:
        expect(browser.request("channel_page", "GET", CHANNEL_PATH), 200, "channel page")
        token = browser.cookies.get("csrftoken")
        if not token:
            raise BenchError("the channel page set no csrftoken cookie")
        form = urlencode({"csrfmiddlewaretoken": token}).encode()
        page = expect(browser.request("start", "POST", CHANNEL_PATH, form,
                                      "application/x-www-form-urlencoded"), 302, "start")
        if "safelight_draft" not in browser.cookies:
            raise BenchError("starting a report set no draft cookie")
        for number in range(1, STEP_COUNT + 1):
            path = f"{CHANNEL_PATH}step/{number}/"
            if follow:
                if _path(page.location) != path:
                    raise BenchError(f"redirected to {page.location}, expected {path}")
                expect(browser.request("get_step", "GET", path), 200, f"step {number} page")
            files = [("q_evidence", FILE_NAME, "image/jpeg", image)] if number == FILE_STEP else []
            body, content_type = multipart(
                [("csrfmiddlewaretoken", token), *ANSWERS[number], ("go", "next")], files
            )
            label = "file_step" if number == FILE_STEP else "step"
            page = expect(browser.request(label, "POST", path, body, content_type), 302,
                          f"step {number}")
        if _path(page.location) != REVIEW_PATH:
            raise BenchError(f"the last step went to {page.location}, not the review page")
        if follow:
            expect(browser.request("get_review", "GET", REVIEW_PATH), 200, "review page")
        done = expect(browser.request("review", "POST", REVIEW_PATH, form,
                                      "application/x-www-form-urlencoded"), 200, "send")
        match = RECEIPT.search(done.body)
        if match is None:
            raise BenchError("the page after sending shows no receipt")
        return match.group(1).decode()
    finally:
        browser.close()


ENCRYPTED_REQUESTS = 1 + 1 + STEP_COUNT + 1  # channel page, start, steps, send
BROWSER_REQUESTS = ENCRYPTED_REQUESTS + STEP_COUNT + 1  # and the GET after each redirect


def baseline_body(image: bytes) -> tuple[bytes, str]:
    fields = [pair for number in range(1, STEP_COUNT + 1) for pair in ANSWERS[number]]
    return multipart(fields, [("q_evidence", FILE_NAME, "image/jpeg", image)])


def baseline_report(port: int, body: bytes, content_type: str,
                    timings: dict[str, list[float]]) -> str:
    browser = Browser(port, timings)
    try:
        response = expect(browser.request("baseline", "POST", BASELINE_PATH, body, content_type),
                          200, "baseline")
        stored = json.loads(response.body)
        if stored["size"] != MIB:
            raise BenchError(f"the baseline stored {stored['size']} bytes, not {MIB}")
        return stored["id"]
    finally:
        browser.close()


def run_concurrently(count: int, clients: int, one: Callable[[], object]) -> tuple[float, list]:
    """Run ``one`` ``count`` times on ``clients`` threads; (wall seconds, results)."""
    counter = itertools.count()
    results: list = []

    def client() -> None:
        while next(counter) < count:
            results.append(one())

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return time.perf_counter() - start, results


# The server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn master and its workers (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session (start_new_session)
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_server(env: dict[str, str], data_dir: Path) -> Server:
    port = free_port()
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "safelight.cli", "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", str(WORKERS)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
            start_new_session=True,
        )
    server = Server(process, port, log_path)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise BenchError(f"the server stopped at start:\n{server.log_tail()}")
        try:
            probe = Browser(port)
            status = probe.request("probe", "GET", CHANNEL_PATH).status
            probe.close()
            if status == 200:
                break
            raise BenchError(f"the channel page answered {status}:\n{server.log_tail()}")
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                raise BenchError(f"the server did not answer:\n{server.log_tail()}") from None
            time.sleep(0.2)
    while len(server.worker_pids()) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    return server


# Django, in this process: setting up the site and counting what it stored -----------------------


def bench_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({
        "SAFELIGHT_MODE": "demo",
        "SAFELIGHT_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "bench.intake_settings",
        # gunicorn (25.1+) opens a control socket in $XDG_RUNTIME_DIR, else ~/.gunicorn: keep the
        # bench's in the throw-away directory, away from any other server on this machine.
        "XDG_RUNTIME_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    })
    return env


def setup_site(env: dict[str, str]) -> None:
    """Migrate and seed the demo in this process, with the server's own settings."""
    for name in SCRUBBED:
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from safelight import demo

    call_command("migrate", interactive=False, verbosity=0)
    demo.seed()
    connections.close_all()


@dataclass
class Stored:
    reports: int
    attachments: int
    attachment_bytes: list[int]
    drafts: int
    draft_files: int
    encrypted_files: int
    baseline_rows: int
    baseline_files: int


def count_stored(data_dir: Path) -> Stored:
    from django.conf import settings
    from django.db import connection, connections

    from bench.intake_baseline import TABLE, files_dir
    from safelight.intake.models import Draft, DraftFile
    from safelight.reports.models import Attachment, Report

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - a constant table name
        baseline_rows = cursor.fetchone()[0]
    stored = Stored(
        reports=Report.objects.count(),
        attachments=Attachment.objects.count(),
        attachment_bytes=list(Attachment.objects.values_list("size", flat=True)),
        drafts=Draft.objects.count(),
        draft_files=DraftFile.objects.count(),
        encrypted_files=sum(1 for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()),
        baseline_rows=baseline_rows,
        baseline_files=sum(1 for p in files_dir().rglob("*") if p.is_file()),
    )
    connections.close_all()
    return stored


# Measurements -----------------------------------------------------------------------------------


def bench_argon2(runs: int = 10) -> None:
    pepper = os.urandom(32)
    derive_receipt_keys(generate_receipt(), pepper)  # warm-up
    times = []
    for _ in range(runs):
        receipt = generate_receipt()
        start = time.perf_counter()
        derive_receipt_keys(receipt, pepper)
        times.append(time.perf_counter() - start)
    emit("receipt_argon2_ms", round(statistics.median(times) * 1000, 1), "ms")


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, summed over its CPUs (Linux)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / ticks, sum(values) / ticks


@dataclass
class Side:
    reports: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0
    machine_busy: float = 0.0
    machine_total: float = 0.0
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    results: list = field(default_factory=list)

    def run(self, server: Server, count: int, clients: int, one: Callable[[], object]) -> None:
        cpu, client_cpu, (busy, total) = server.cpu_seconds(), time.process_time(), machine_cpu()
        seconds, results = run_concurrently(count, clients, one)
        self.cpu_seconds += server.cpu_seconds() - cpu
        self.client_cpu_seconds += time.process_time() - client_cpu
        busy_after, total_after = machine_cpu()
        self.machine_busy += busy_after - busy
        self.machine_total += total_after - total
        self.seconds += seconds
        self.reports += len(results)
        self.results += results

    @property
    def per_s(self) -> float:
        return self.reports / self.seconds

    @property
    def cpu_ms_per_report(self) -> float:
        return ms(self.cpu_seconds / self.reports)

    @property
    def client_cpu_ms_per_report(self) -> float:
        return ms(self.client_cpu_seconds / self.reports)

    @property
    def machine_busy_pct(self) -> float:
        return round(100 * self.machine_busy / self.machine_total, 1)

    @property
    def others_cpu_pct(self) -> float:
        """Share of the machine used by processes other than this bench and its server."""
        others = self.machine_busy - self.cpu_seconds - self.client_cpu_seconds
        return round(max(0.0, 100 * others / self.machine_total), 1)


def bench_intake(server: Server, image: bytes, args: argparse.Namespace) -> dict:
    """Both sides, interleaved rounds; returns the receipts of the encrypted reports."""
    port = server.port
    body, content_type = baseline_body(image)
    encrypted, baseline, browser = Side(), Side(), Side()

    def one_encrypted() -> str:
        return encrypted_report(port, image, encrypted.timings)

    def one_baseline() -> str:
        return baseline_report(port, body, content_type, baseline.timings)

    def one_browser() -> str:
        return encrypted_report(port, image, browser.timings, follow=True)

    log(f"warm-up: {args.warmup} reports each way")
    warm: dict[str, list[float]] = defaultdict(list)
    _, warm_receipts = run_concurrently(
        args.warmup, args.clients, lambda: encrypted_report(port, image, warm))
    run_concurrently(args.warmup, args.clients,
                     lambda: baseline_report(port, body, content_type, warm))
    per_round = args.reports // args.rounds
    baseline_per_round = args.baseline_reports // args.rounds
    for round_ in range(1, args.rounds + 1):
        log(f"round {round_}/{args.rounds}: {baseline_per_round} baseline and {per_round} "
            f"encrypted reports, {args.clients} clients")
        baseline.run(server, baseline_per_round, args.clients, one_baseline)
        encrypted.run(server, per_round, args.clients, one_encrypted)
    log(f"browser flow (redirects followed): {args.browser_reports} reports")
    browser.run(server, args.browser_reports, args.clients, one_browser)

    emit("intake_encrypted_per_s", round(encrypted.per_s, 2), "1/s")
    emit("intake_baseline_per_s", round(baseline.per_s, 2), "1/s")
    emit("intake_encrypted_to_baseline_ratio", round(encrypted.per_s / baseline.per_s, 3),
         "ratio")
    # What explains the ratio.
    emit("intake_encrypted_reports", encrypted.reports, "reports")
    emit("intake_baseline_reports", baseline.reports, "reports")
    emit("intake_concurrent_clients", args.clients, "clients")
    emit("intake_encrypted_requests_per_report", ENCRYPTED_REQUESTS, "requests")
    emit("intake_baseline_requests_per_report", 1, "requests")
    emit("intake_encrypted_server_cpu_ms_per_report", encrypted.cpu_ms_per_report, "ms")
    emit("intake_baseline_server_cpu_ms_per_report", baseline.cpu_ms_per_report, "ms")
    # Server and clients share this machine's CPUs: how busy they all were while each side ran.
    emit("intake_machine_cpus", os.cpu_count() or 0, "CPUs")
    emit("intake_encrypted_machine_cpu_busy_pct", encrypted.machine_busy_pct, "%")
    emit("intake_baseline_machine_cpu_busy_pct", baseline.machine_busy_pct, "%")
    emit("intake_encrypted_client_cpu_ms_per_report", encrypted.client_cpu_ms_per_report, "ms")
    emit("intake_baseline_client_cpu_ms_per_report", baseline.client_cpu_ms_per_report, "ms")
    emit("intake_encrypted_other_processes_cpu_pct", encrypted.others_cpu_pct, "%")
    emit("intake_baseline_other_processes_cpu_pct", baseline.others_cpu_pct, "%")
    t = encrypted.timings
    emit("intake_encrypted_channel_page_p50_ms", ms(statistics.median(t["channel_page"])), "ms")
    emit("intake_encrypted_start_p50_ms", ms(statistics.median(t["start"])), "ms")
    emit("intake_encrypted_text_step_p50_ms", ms(statistics.median(t["step"])), "ms")
    emit("intake_encrypted_file_step_p50_ms", ms(statistics.median(t["file_step"])), "ms")
    emit("intake_encrypted_send_p50_ms", ms(statistics.median(t["review"])), "ms")
    emit("intake_baseline_request_p50_ms", ms(statistics.median(baseline.timings["baseline"])),
         "ms")
    emit("intake_encrypted_browser_per_s", round(browser.per_s, 2), "1/s")
    emit("intake_encrypted_browser_requests_per_report", BROWSER_REQUESTS, "requests")
    emit("intake_encrypted_browser_server_cpu_ms_per_report", browser.cpu_ms_per_report, "ms")
    bt = browser.timings
    emit("intake_encrypted_browser_step_page_p50_ms", ms(statistics.median(bt["get_step"])), "ms")
    emit("intake_encrypted_browser_review_page_p50_ms", ms(statistics.median(bt["get_review"])),
         "ms")
    return {
        "encrypted": args.warmup + encrypted.reports + browser.reports,
        "baseline": args.warmup + baseline.reports,
        "receipts": warm_receipts + encrypted.results + browser.results,
    }


def check_stored(data_dir: Path, submitted: dict) -> None:
    stored = count_stored(data_dir)
    expected = submitted["encrypted"]
    problems = []
    if stored.reports != expected:
        problems.append(f"{stored.reports} reports stored, {expected} sent")
    if stored.attachments != expected:
        problems.append(f"{stored.attachments} evidence files stored, {expected} sent")
    small = [size for size in stored.attachment_bytes if size < MIB // 2]
    if small:
        problems.append(f"{len(small)} stored evidence files are much smaller than 1 MiB")
    if stored.baseline_rows != submitted["baseline"] or stored.baseline_files != submitted[
            "baseline"]:
        problems.append(f"baseline: {stored.baseline_rows} rows and {stored.baseline_files} "
                        f"files stored, {submitted['baseline']} sent")
    if problems:
        raise BenchError("what was stored does not match what was sent: " + "; ".join(problems))
    if stored.drafts or stored.draft_files:
        log(f"warning: {stored.drafts} drafts and {stored.draft_files} draft files left behind")
    if stored.encrypted_files != stored.attachments:
        log(f"warning: {stored.encrypted_files} files in encrypted storage for "
            f"{stored.attachments} attachments")
    log(f"stored: {stored.reports} reports with {stored.attachments} files; "
        f"{stored.baseline_rows} baseline rows; mean stored evidence size "
        f"{statistics.mean(stored.attachment_bytes):.0f} bytes")


def bench_followup(server: Server, receipts: list[str], args: argparse.Namespace) -> None:
    clients = args.followup_clients
    if len(receipts) < clients:
        raise BenchError(f"{len(receipts)} receipts for {clients} follow-up clients")
    port = server.port
    timings: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    browsers: list[Browser] = []

    def open_report(receipt: str) -> None:
        browser = Browser(port)
        expect(browser.request("enter", "GET", "/receipt/"), 200, "receipt page")
        form = urlencode({"csrfmiddlewaretoken": browser.cookies["csrftoken"],
                          "receipt": receipt}).encode()
        opened = expect(browser.request("open", "POST", "/receipt/", form,
                                        "application/x-www-form-urlencoded"), 302, "receipt")
        if _path(opened.location) != "/receipt/report/" or "safelight_report" not in (
                browser.cookies):
            raise BenchError(f"the receipt did not open its report ({opened.location})")
        browser.close()  # the timed part opens its own connection, as a new page visit would
        browser.timings = timings
        with lock:
            browsers.append(browser)

    log(f"follow-up: opening {clients} reports with their receipts (not timed)")
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(open_report, receipts[:clients]))

    barrier = threading.Barrier(clients)

    def client(browser: Browser) -> None:
        barrier.wait()
        try:
            for _ in range(args.followup_requests):
                page = expect(browser.request("followup", "GET", "/receipt/report/"), 200,
                              "follow-up page")
                if b'class="deadlines"' not in page.body:
                    raise BenchError("the follow-up page looks wrong")
        finally:
            browser.close()

    log(f"follow-up: {clients} concurrent clients, {args.followup_requests} pages each")
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client, b) for b in browsers]:
            future.result()
    seconds = time.perf_counter() - start
    samples = timings["followup"]
    emit("followup_p95_ms", ms(p(samples, 0.95)), "ms")
    emit("followup_p50_ms", ms(statistics.median(samples)), "ms")
    emit("followup_pages_per_s", round(len(samples) / seconds, 1), "1/s")
    emit("followup_concurrent_clients", clients, "clients")


def report_server_log(server: Server) -> None:
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return
    bad = [line for line in text.splitlines()
           if re.search(r"\b(ERROR|CRITICAL|Traceback|WORKER TIMEOUT)\b", line)]
    if bad:
        log(f"the server logged {len(bad)} error lines, first ones:")
        for line in bad[:10]:
            log("  " + line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=60, help="timed encrypted reports")
    parser.add_argument("--baseline-reports", type=int, default=180, help="timed baseline reports")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per side")
    parser.add_argument("--browser-reports", type=int, default=24)
    parser.add_argument("--warmup", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--followup-clients", type=int, default=50)
    parser.add_argument("--followup-requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args(argv)

    bench_argon2()  # first, while nothing else runs on this machine
    image = photo()
    data_dir = Path(tempfile.mkdtemp(prefix="safelight-bench-intake-"))
    server = None
    try:
        env = bench_env(data_dir)
        log(f"setting up the demo site in {data_dir}")
        setup_site(env)
        server = start_server(env, data_dir)
        log(f"gunicorn with {WORKERS} workers on 127.0.0.1:{server.port}")
        submitted = bench_intake(server, image, args)
        bench_followup(server, submitted["receipts"], args)
        check_stored(data_dir, submitted)
    except BaseException:
        if server is not None:
            log("server log (last lines):\n" + server.log_tail())
        raise
    finally:
        if server is not None:
            server.stop()
            report_server_log(server)
        if args.keep:
            log(f"data kept in {data_dir}")
        else:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        log(f"failed: {exc}")
        sys.exit(1)
