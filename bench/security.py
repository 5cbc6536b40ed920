"""Benchmark of the limits that keep one anonymous visitor from exhausting Safelight:
``python -m bench.security`` from the root (docs/security.md, "Limits").

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ...}`` on stdout; progress goes to
stderr.

* ``receipt_guesses_per_hour``: wrong receipts one client (one address, one page's guess session)
  gets through the reporter side's view (Django's test client against a throw-away demo site),
  counted by trying until refused, scaled from the limit's window to an hour; printed beside
  ``receipt_guesses_limit``, the documented limit. They must be equal.
* ``worst_upload_cpu_s`` and ``worst_upload_peak_mib``: the most CPU time and memory any of the
  worst uploads constructed here costs a worker (each run alone in a fresh process: the CPU time
  of the work from getrusage, the peak resident memory it added, from /proc after resetting the
  peak). The cases: a docx of 250 parts just under 1 MiB, a docx at the XML budget filled with
  attributes the cleaner rewrites, a docx at the unpacked budget, a 9,400 x 9,400 PNG, PNGs at the
  pixel limit, a baseline and a progressive JPEG at their limits, a GIF at its limit, and, through
  the locker's importer, a WhatsApp zip that expands to the import limit. Targets: < 5 s, < 100 MiB.
  Each case is also printed as ``upload_cpu_s`` / ``upload_peak_mib`` with its ``case``.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bench.harness import ROOT, SCRUBBED

CASES = (
    "docx_250_parts", "docx_markup_budget", "docx_unpacked_budget", "png_9400", "png_limit_grey",
    "png_limit_rgba", "jpeg_limit_baseline", "jpeg_limit_progressive", "gif_limit",
    "whatsapp_zip_bomb",
)


def emit(metric: str, value: float, unit: str, **extra: str) -> None:
    sys.stdout.write(json.dumps({"metric": metric, "value": value, "unit": unit, **extra}) + "\n")
    sys.stdout.flush()


def log(message: str) -> None:
    sys.stderr.write(message + "\n")


# --- the child process ------------------------------------------------------------------------


def _setup(data_dir: str, *, migrate: bool) -> None:
    os.environ["SAFELIGHT_MODE"] = "demo"
    os.environ["SAFELIGHT_DATA_DIR"] = data_dir
    os.environ["SAFELIGHT_ALLOWED_HOSTS"] = "testserver"  # Django's test client
    os.environ["DJANGO_SETTINGS_MODULE"] = "safelight.settings"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def _docx(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", (
            b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>'))
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue()


def _compressible(size: int, noise: int = 600) -> bytes:
    """Bytes that deflate about 100 to 1 (less with more noise): zero runs and a little noise."""
    rng = random.Random(7)
    block = b"\x00" * 65536
    out = bytearray()
    while len(out) < size:
        out += block[: min(65536, size - len(out))]
        out += rng.randbytes(min(noise, max(0, size - len(out))))
    return bytes(out[:size])


def _png(width: int, height: int, colour: int) -> bytes:
    import struct
    import zlib

    channels = {0: 1, 6: 4}[colour]
    row = b"\x00" * (1 + width * channels)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def _pillow(kind: str, size: tuple[int, int], **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB" if kind == "JPEG" else "P", size).save(out, kind, **options)
    return out.getvalue()


def _upload(case: str) -> tuple[str, bytes]:
    from safelight.intake.filetypes import images, office

    if case == "docx_250_parts":
        return "report.docx", _docx({f"word/part{i}.xml": b" " * ((1 << 20) - 100)
                                     for i in range(250)})
    if case == "docx_markup_budget":
        # Parts just under the size from which the ratio is checked, up to the XML budget.
        part = b" w:author='x'" * ((office.RATIO_CHECKED_FROM - 4096) // 13)
        count = office.MAX_MARKUP // office.RATIO_CHECKED_FROM - 1
        return "report.docx", _docx({f"word/part{i}.xml": part for i in range(count)})
    if case == "docx_unpacked_budget":
        member = _compressible(office.MAX_MEMBER_UNPACKED - 4096)
        count = office.MAX_UNPACKED // len(member)
        return "report.docx", _docx({f"word/media/image{i}.bin": member for i in range(count)})
    if case == "png_9400":
        return "photo.png", _png(9400, 9400, 0)
    side = int(images.MAX_PIXELS ** 0.5)
    if case == "png_limit_grey":
        return "photo.png", _png(side, side, 0)
    if case == "png_limit_rgba":
        return "photo.png", _png(side, side, 6)
    if case == "jpeg_limit_baseline":
        return "photo.jpg", _pillow("JPEG", (side, side), quality=10)
    small = int(images.MAX_PROGRESSIVE_JPEG_PIXELS ** 0.5)
    if case == "jpeg_limit_progressive":
        return "photo.jpg", _pillow("JPEG", (small, small), quality=10, progressive=True)
    if case == "gif_limit":
        return "photo.gif", _pillow("GIF", (small, small))
    raise ValueError(case)


def _whatsapp_bomb() -> bytes:
    from safelight.evidence.importing import MAX_IMPORT_BYTES

    out = io.BytesIO()
    chat = b"".join(b"02/03/2026, 21:%02d - Sam: message %d\n" % (i % 60, i) for i in range(500))
    member = _compressible(8 << 20, noise=1500)  # about 40 to 1: under the ratio check
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", chat)
        for number in range(MAX_IMPORT_BYTES // len(member) + 2):  # just past the limit
            archive.writestr(f"IMG-{number:04d}.jpg", member)
    return out.getvalue()


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(work) -> tuple[float, float, str]:
    baseline = _rss_kib("VmRSS")
    _reset_peak()
    start = _cpu()
    outcome = work()
    cpu = _cpu() - start
    peak = max(0, _rss_kib("VmHWM") - baseline) / 1024
    return cpu, peak, outcome


def child_upload(case: str) -> None:
    with tempfile.TemporaryDirectory(prefix="safelight-bench-") as data_dir:
        _setup(data_dir, migrate=case == "whatsapp_zip_bomb")
        if case == "whatsapp_zip_bomb":
            cpu, peak, outcome = _import_bomb()
        else:
            name, data = _upload(case)
            cpu, peak, outcome = _measure(lambda: _prepare(name, data))
        print(json.dumps({"case": case, "cpu_s": cpu, "peak_mib": peak, "outcome": outcome}))


def _prepare(name: str, data: bytes) -> str:
    """What safelight.intake.files.prepare does with an upload's plaintext."""
    from safelight.intake import filetypes

    try:
        kind = filetypes.identify(data, name=name)
        filetypes.check(data, kind)
        filetypes.hidden_details(data, kind)
        if kind.cleanable:
            filetypes.clean(data, kind)
    except filetypes.FileProblem as problem:
        return f"refused: {type(problem).__name__}"
    return "accepted"


def _import_bomb() -> tuple[float, float, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from safelight.evidence import session
    from safelight.evidence.actions import create_locker
    from safelight.evidence.models import EvidenceFile
    from safelight.triage.severity import get_scorer

    data = _whatsapp_bomb()
    get_scorer().score(["warm up"])  # a worker loads the scorer's model once, not per import
    opened, _passphrase = create_locker()
    client = Client()
    response = client.get("/locker/")
    session.keep_open(response, opened)
    client.cookies[session.COOKIE] = response.cookies[session.COOKIE].value

    def work() -> str:
        page = client.post("/locker/imports/new/", {
            "export": SimpleUploadedFile("WhatsApp Chat with Sam.zip", data)})
        kept = EvidenceFile.objects.count()
        refused = page.status_code == 200 and "nothing of it was kept" in page.content.decode()
        return (f"refused ({len(data) // 1024} KiB zip), {kept} files kept" if refused
                else f"read up to the limit (status {page.status_code}), {kept} files kept")

    return _measure(work)


def child_receipts() -> None:
    with tempfile.TemporaryDirectory(prefix="safelight-bench-") as data_dir:
        _setup(data_dir, migrate=True)
        import re

        from django.test import Client

        from safelight import ratelimit

        client = Client(REMOTE_ADDR="198.51.100.7")
        page = client.get("/receipt/").content.decode()
        ticket = re.search(r'name="attempt" value="([^"]+)"', page).group(1)
        tries = 0
        while True:
            page = client.post("/receipt/", {"receipt": "0000-0000-0000-0000-0000",
                                             "attempt": ticket}).content.decode()
            if "too many tries" in page:
                break
            tries += 1
            if tries > 10_000:
                raise SystemExit("no limit found")
        per_hour = tries * 3600 / ratelimit.GUESS_WINDOW
        limit = ratelimit.GUESS_LIMIT * 3600 / ratelimit.GUESS_WINDOW
        print(json.dumps({"per_hour": per_hour, "limit": limit}))


# --- the parent ---------------------------------------------------------------------------------


def _run_child(*args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    result = subprocess.run([sys.executable, "-m", "bench.security", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench.security {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    if sys.argv[1:2] == ["--child-upload"]:
        child_upload(sys.argv[2])
        return 0
    if sys.argv[1:2] == ["--child-receipts"]:
        child_receipts()
        return 0
    log("receipt guesses through the view ...")
    receipts = _run_child("--child-receipts")
    emit("receipt_guesses_per_hour", receipts["per_hour"], "guesses/h")
    emit("receipt_guesses_limit", receipts["limit"], "guesses/h")
    worst_cpu = worst_peak = 0.0
    for case in CASES:
        log(f"upload {case} ...")
        result = _run_child("--child-upload", case)
        log(f"  {result['outcome']}: {result['cpu_s']:.2f} s CPU, {result['peak_mib']:.1f} MiB")
        emit("upload_cpu_s", round(result["cpu_s"], 3), "s", case=case)
        emit("upload_peak_mib", round(result["peak_mib"], 1), "MiB", case=case)
        worst_cpu = max(worst_cpu, result["cpu_s"])
        worst_peak = max(worst_peak, result["peak_mib"])
    emit("worst_upload_cpu_s", round(worst_cpu, 3), "s")
    emit("worst_upload_peak_mib", round(worst_peak, 1), "MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
