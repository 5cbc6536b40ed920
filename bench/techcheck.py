"""Benchmark of the tech-safety check's engine: ``python -m bench.techcheck`` from the root.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ...}`` on stdout; progress goes
to stderr. No database: the engine reads a file and the indicators, nothing else.

* ``techcheck_package_list_p95_ms``: reading and checking a 1,000-package list as
  ``adb shell pm list packages -f -i -U`` prints it (system apps, store apps, sideloaded apps,
  real stalkerware and dual-use package names from the indicators) against all indicators
  (Echap's stalkerware and watchware and the dual-use list). Target < 50 ms.
* ``techcheck_privacy_report_p95_ms``: reading and checking a 10 MB iPhone App Privacy Report
  (NDJSON: accesses and network activity of 300 apps, a few contacting indicator domains).
  Target < 2,000 ms.
* ``indicators_load_ms``: reading the shipped indicators (Echap's YAML and samples, the
  dual-use list) into the matching tables, the median of several loads in this process.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time

from bench.harness import p

PACKAGE_LIST_TARGET_MS = 50
PRIVACY_REPORT_TARGET_MS = 2000


def log(message: str) -> None:
    print(f"bench.techcheck: {message}", file=sys.stderr, flush=True)


def emit(metric: str, value: float, unit: str, **fields: str | int) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit, **fields}), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def setup_django() -> None:
    # The engine needs only Django's translation machinery: no database, no apps.
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en", INSTALLED_APPS=[])
    django.setup()


def package_list(indicators, size: int, rnd: random.Random) -> bytes:
    stalkerware = sorted(name for name, index in indicators.packages.items()
                         if indicators.family(index).kind == "stalkerware")
    dual_use = sorted(name for name, index in indicators.packages.items()
                      if indicators.family(index).kind != "stalkerware")
    lines = []
    for number in range(size):
        roll = rnd.random()
        if number < 5:
            package, installer = rnd.choice(stalkerware), "null"
        elif number < 10:
            package, installer = rnd.choice(dual_use), "com.android.vending"
        else:
            package = f"com.vendor{number % 97}.app{number}"
            installer = ("null" if roll < 0.35 else "com.android.vending" if roll < 0.9
                         else "com.google.android.packageinstaller")
        if installer == "null" and number >= 5 and roll < 0.3:
            path = f"/system/app/App{number}/App{number}.apk"
        else:
            first, second = rnd.getrandbits(64), rnd.getrandbits(64)
            path = f"/data/app/~~{first:x}==/{package}-{second:x}==/base.apk"
        lines.append(f"package:{path}={package}  installer={installer} uid:{10000 + number}")
    return ("\n".join(lines) + "\n").encode()


def privacy_report(indicators, target_bytes: int, rnd: random.Random) -> bytes:
    c2 = sorted(domain for domain, (_index, role) in indicators.domains.items() if role == "c2")
    apps = [f"com.example{n}.app{n}" for n in range(300)]
    domains = [f"api{n}.service{n % 40}.example.net" for n in range(2000)]
    out = io.StringIO()
    size = 0
    count = 0
    while size < target_bytes:
        bundle = rnd.choice(apps)
        if rnd.random() < 0.3:
            category = rnd.choice(["location", "camera", "microphone", "contacts", "photos"])
            for kind in ("intervalBegin", "intervalEnd"):
                line = json.dumps({
                    "accessor": {"identifier": bundle, "identifierType": "bundleID"},
                    "category": category, "identifier": f"{rnd.getrandbits(128):032X}",
                    "kind": kind, "timeStamp": "2026-11-20T09:14:33.512+01:00",
                    "type": "access"})
                out.write(line + "\n")
                size += len(line) + 1
        else:
            domain = rnd.choice(c2) if count % 5000 == 0 else rnd.choice(domains)
            line = json.dumps({
                "domain": domain, "firstTimeStamp": "2026-11-20T08:02:11Z", "context": "",
                "timeStamp": "2026-11-20T09:14:33Z", "domainType": 2,
                "initiatedType": "AppInitiated", "hits": rnd.randint(1, 300),
                "type": "networkActivity", "domainOwner": "", "bundleID": bundle})
            out.write(line + "\n")
            size += len(line) + 1
        count += 1
    return out.getvalue().encode()


def timed(run, data: bytes, rounds: int, warmup: int) -> list[float]:
    times = []
    for round_ in range(warmup + rounds):
        begin = time.perf_counter()
        result = run(io.BytesIO(data))
        elapsed = time.perf_counter() - begin
        if not result.readable or not result.findings:
            raise RuntimeError("the benchmark input was not read, or found nothing")
        if round_ >= warmup:
            times.append(elapsed)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="timed package-list checks")
    parser.add_argument("--report-rounds", type=int, default=20,
                        help="timed privacy-report checks")
    parser.add_argument("--loads", type=int, default=7, help="indicator loads")
    args = parser.parse_args(argv)
    setup_django()
    from safelight.techcheck import indicators as ind
    from safelight.techcheck import matching

    loads = []
    for _ in range(args.loads + 1):
        begin = time.perf_counter()
        indicators = ind.load_shipped()
        ind.read_dual_use(indicators)
        loads.append(time.perf_counter() - begin)
    counts = indicators.counts()
    log(f"indicators: {counts}")
    emit("indicators_load_ms", ms(statistics.median(loads[1:])), "ms",
         families=counts["families"])

    rnd = random.Random(16)

    def run(stream):
        return matching.check_file(stream, indicators)

    packages = package_list(indicators, 1000, rnd)
    times = timed(run, packages, args.rounds, warmup=20)
    emit("techcheck_package_list_p50_ms", ms(p(times, 0.50)), "ms", packages=1000)
    value = ms(p(times, 0.95))
    emit("techcheck_package_list_p95_ms", value, "ms", packages=1000)
    if value >= PACKAGE_LIST_TARGET_MS:
        log(f"package list p95 {value} ms (target < {PACKAGE_LIST_TARGET_MS})")

    report = privacy_report(indicators, 10 * 2**20, rnd)
    lines = report.count(b"\n")
    log(f"privacy report: {len(report) / 2**20:.1f} MB, {lines} lines")
    times = timed(run, report, args.report_rounds, warmup=2)
    emit("techcheck_privacy_report_p50_ms", ms(p(times, 0.50)), "ms", megabytes=10)
    value = ms(p(times, 0.95))
    emit("techcheck_privacy_report_p95_ms", value, "ms", megabytes=10)
    if value >= PRIVACY_REPORT_TARGET_MS:
        log(f"privacy report p95 {value} ms (target < {PRIVACY_REPORT_TARGET_MS})")


if __name__ == "__main__":
    main()
