"""Benchmark of pages in another language: ``python -m bench.i18n`` from the root.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ...}`` on stdout (with a
``language`` and ``page`` field where they apply); progress and diagnostics go to stderr.

A throw-away demo site (``SAFELIGHT_MODE=demo``, SQLite in a temporary data directory, the demo
organisation of ``safelight.demo.seed``) runs in a child process, driven in-process by Django's
test client through the whole middleware stack, as ``bench.cases`` does:

* the landing page (``/demo/``) and the first step of a report (``/demo/form-1/step/1/``, with
  its draft), in English and in Arabic (right to left), chosen as a browser does, by
  ``Accept-Language``. The four are interleaved in the same run after a warm-up, so that both
  languages meet the same machine. ``i18n_page_p50_ms`` and ``i18n_page_p95_ms`` per language
  and page; ``i18n_page_p95_ratio`` is Arabic's p95 over English's (per page, and over both
  pages together: target <= 1.1). Each measured Arabic page is checked to be Arabic (``lang="ar"``
  and ``dir="rtl"``), so an English page cannot pass for one;
* ``i18n_catalogue_load_ms``: the time a fresh process takes to load every language's
  catalogues (Safelight's, Django's and the apps'), activating each language of
  ``settings.LANGUAGES`` once after ``django.setup()``; the median of several fresh processes.

Django loads compiled catalogues (django.mo). Where one is missing or differs from its .po, the
bench compiles every catalogue into a temporary LOCALE_PATHS directory first (msgfmt, as
``scripts/translations.py compile`` would) and says so, so that it measures the catalogues as
they are. If Arabic is not yet in ``settings.LANGUAGES``, the child adds it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, SCRUBBED, BenchError, p

LOCALE = ROOT / "safelight" / "locale"
ORGANISATION = "demo"
CHANNEL = "form-1"  # the demo's "Harassment at work" (neutral address)
PAGES = {"landing": f"/{ORGANISATION}/", "step": f"/{ORGANISATION}/{CHANNEL}/step/1/"}
LANGUAGES = ("en", "ar")
RATIO_TARGET = 1.1


def log(message: str) -> None:
    print(f"bench.i18n: {message}", file=sys.stderr, flush=True)


def emit(metric: str, value: float, unit: str, **fields: str | int) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit, **fields}), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# The parent -------------------------------------------------------------------------------------


def stale_catalogues() -> list[str]:
    """Languages whose django.mo is missing or says something else than their django.po."""
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" /
                                                  "translations.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return [lang for lang in tool.languages() if tool.compiled_differences(lang)]


def compile_into(target: Path) -> None:
    """Every catalogue, compiled into target/<lang>/LC_MESSAGES/django.mo."""
    if not shutil.which("msgfmt"):
        raise BenchError("msgfmt (Debian's gettext) is needed to compile the catalogues")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        lang = po.parent.parent.name
        out = target / lang / "LC_MESSAGES"
        out.mkdir(parents=True)
        # Without --check: the bench measures loading, whatever a catalogue's state.
        subprocess.run(["msgfmt", "-o", str(out / "django.mo"), str(po)],  # noqa: S607
                       check=True, capture_output=True)


def child_env(data_dir: Path, locale_paths: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({
        "SAFELIGHT_MODE": "demo",
        "SAFELIGHT_DATA_DIR": str(data_dir),
        "SAFELIGHT_LOG_LEVEL": "WARNING",
        "SAFELIGHT_ALLOWED_HOSTS": "testserver",  # Django's test client
        "DJANGO_SETTINGS_MODULE": "safelight.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    })
    if locale_paths is not None:
        env["BENCH_I18N_LOCALE_PATHS"] = str(locale_paths)
    return env


def run_child(mode: str, args: argparse.Namespace, env: dict[str, str]) -> list[dict]:
    command = [sys.executable, "-m", "bench.i18n", "--child", mode,
               "--requests", str(args.requests), "--warmup", str(args.warmup)]
    done = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    results = []
    for line in done.stdout.splitlines():
        try:
            results.append(json.loads(line))
        except ValueError:
            sys.stderr.write(line + "\n")
    if done.returncode:
        raise BenchError(f"the {mode} child failed (exit status {done.returncode})")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up rounds")
    parser.add_argument("--loads", type=int, default=5, help="fresh processes for the load time")
    parser.add_argument("--child", choices=("pages", "load"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "pages":
        child_pages(args)
        return
    if args.child == "load":
        child_load()
        return
    work = Path(tempfile.mkdtemp(prefix="safelight-bench-i18n-"))
    try:
        locale_paths = None
        stale = stale_catalogues()
        if stale:
            log(f"compiled catalogues missing or older than their .po ({', '.join(stale)}): "
                "compiling them all into a temporary directory for this run")
            locale_paths = work / "locale"
            compile_into(locale_paths)
        data_dir = work / "data"
        env = child_env(data_dir, locale_paths)
        for line in run_child("pages", args, env):
            print(json.dumps(line), flush=True)
        loads = [run_child("load", args, env)[0] for _ in range(args.loads)]
        values = sorted(line["value"] for line in loads)
        log(f"catalogue load: {', '.join(f'{v:.1f}' for v in values)} ms over "
            f"{loads[0]['languages']} languages in {args.loads} fresh processes")
        emit("i18n_catalogue_load_ms", round(statistics.median(values), 1), "ms",
             languages=loads[0]["languages"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


# The children -----------------------------------------------------------------------------------


def setup_django() -> None:
    if os.environ.get("SAFELIGHT_ALLOWED_HOSTS") != "testserver":
        raise BenchError("run `python -m bench.i18n`: the child needs the environment it sets")
    import django
    from django.conf import settings

    extra = os.environ.get("BENCH_I18N_LOCALE_PATHS")
    if extra:
        settings.LOCALE_PATHS = [extra, *settings.LOCALE_PATHS]
    if "ar" not in dict(settings.LANGUAGES):
        log("Arabic is not in settings.LANGUAGES yet: added for this run")
        settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    django.setup()


def child_load() -> None:
    setup_django()
    from django.conf import settings
    from django.utils import translation

    codes = [code for code, _name in settings.LANGUAGES]
    start = time.perf_counter()
    for code in codes:
        translation.activate(code)
        translation.gettext("Quick exit")  # the catalogue is loaded on activation; used here
    seconds = time.perf_counter() - start
    translation.deactivate()
    print(json.dumps({"value": ms(seconds), "languages": len(codes)}), flush=True)


def child_pages(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from safelight import demo

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo.seed()
    log(f"demo site ready in {time.perf_counter() - start:.1f} s")
    clients = {}
    for language in LANGUAGES:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        started = client.post(f"/{ORGANISATION}/{CHANNEL}/")
        if started.status_code != 302:
            raise BenchError(f"starting a report in {language}: {started.status_code}")
        clients[language] = client
    for language, client in clients.items():
        for page, url in PAGES.items():
            check(client.get(url), language, page)
    times: dict[tuple[str, str], list[float]] = {(lang, page): [] for lang in LANGUAGES
                                                 for page in PAGES}
    order = [(lang, page) for lang in LANGUAGES for page in PAGES]
    for round_ in range(args.warmup + args.requests):
        # Interleaved, in an order that turns each round, so no one page always goes first.
        shift = round_ % len(order)
        for language, page in order[shift:] + order[:shift]:
            begin = time.perf_counter()
            response = clients[language].get(PAGES[page])
            elapsed = time.perf_counter() - begin
            if response.status_code != 200:
                raise BenchError(f"{page} in {language}: {response.status_code}")
            if round_ >= args.warmup:
                times[(language, page)].append(elapsed)
    for (language, page), values in times.items():
        emit("i18n_page_p50_ms", ms(p(values, 0.50)), "ms", language=language, page=page)
        emit("i18n_page_p95_ms", ms(p(values, 0.95)), "ms", language=language, page=page)
    for page in [*PAGES, "both"]:
        pages = list(PAGES) if page == "both" else [page]
        english = p([v for name in pages for v in times[("en", name)]], 0.95)
        arabic = p([v for name in pages for v in times[("ar", name)]], 0.95)
        ratio = round(arabic / english, 3)
        emit("i18n_page_p95_ratio", ratio, "ratio", page=page)
        if ratio > RATIO_TARGET:
            log(f"{page}: Arabic p95 is {ratio}x English's (target <= {RATIO_TARGET})")


def check(response, language: str, page: str) -> None:
    """The page answers, in the language asked for (an English page cannot pass for Arabic)."""
    if response.status_code != 200:
        raise BenchError(f"{page} in {language}: {response.status_code}")
    head = response.content[:400].decode(errors="replace")
    wanted = f'lang="{language}"' + (' dir="rtl"' if language == "ar" else "")
    if wanted not in head:
        raise BenchError(f"{page} is not in {language}: {head[:200]!r}")
    if language == "ar" and not any("\u0600" <= c <= "\u06ff"
                                    for c in response.content.decode()):
        raise BenchError(f"{page} in Arabic has no Arabic text: is its catalogue compiled?")


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        log(f"failed: {exc}")
        sys.exit(1)
