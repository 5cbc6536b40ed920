"""Benchmarks of safelight.crypto: ``python -m bench.crypto`` from the repository root.

Prints only JSON lines ``{"metric": ..., "value": ..., "unit": ...}`` on stdout.  Throughput
of each recipe is compared with the bare libsodium call (through pysodium) on the same data in
the same run, best of several interleaved repetitions, so the ratio shows what the recipe's
framing costs rather than how fast this machine is.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pysodium

from safelight.crypto import (
    DEFAULT_ARGON2,
    DEFAULT_CHUNK_SIZE,
    RECEIPT_ARGON2,
    KeyPair,
    derive_receipt_keys,
    encrypt_file,
    generate_key,
    generate_receipt,
    oprf,
    seal_field,
    wrap_private_key,
)

MIB = 1024 * 1024
CTX = {"purpose": "bench", "object_id": "1", "field": "blob"}
ROOT = Path(__file__).resolve().parents[1]


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"metric": metric, "value": value, "unit": unit}), flush=True)


def mb_per_s(size: int, seconds: float) -> float:
    return round(size / seconds / 1e6, 1)


def best_of(runs: int, contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall time of each contender over ``runs`` interleaved rounds."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(runs):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


class _Sink:
    """A /dev/null-like writable that keeps nothing."""

    def write(self, data: bytes) -> int:
        return len(data)


def bench_fields(key: bytes, data: bytes, label: str, runs: int) -> None:
    nonce = bytes(24)
    times = best_of(
        runs,
        {
            "field": lambda: seal_field(key, data, **CTX),
            "raw": lambda: pysodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
                data, None, nonce, key
            ),
        },
    )
    emit(f"field_seal_{label}_mb_per_s", mb_per_s(len(data), times["field"]), "MB/s")
    emit(f"field_seal_{label}_raw_aead_mb_per_s", mb_per_s(len(data), times["raw"]), "MB/s")
    emit(f"field_seal_{label}_ratio_to_raw", round(times["raw"] / times["field"], 3), "ratio")


def bench_streams(key: bytes, data: bytes, label: str, runs: int) -> None:
    size = DEFAULT_CHUNK_SIZE
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    chunks.append(data[len(data) - len(data) % size :])  # final chunk (empty here)
    final = pysodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    message = pysodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE

    def raw() -> None:
        state, _header = pysodium.crypto_secretstream_xchacha20poly1305_init_push(key)
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            tag = final if index == last else message
            pysodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, None, tag)

    def recipe() -> None:
        encrypt_file(key, io.BytesIO(data), _Sink(), **CTX)  # type: ignore[arg-type]

    times = best_of(runs, {"stream": recipe, "raw": raw})
    emit(f"stream_encrypt_{label}_mb_per_s", mb_per_s(len(data), times["stream"]), "MB/s")
    emit(f"stream_encrypt_{label}_raw_aead_mb_per_s", mb_per_s(len(data), times["raw"]), "MB/s")
    emit(f"stream_encrypt_{label}_ratio_to_raw", round(times["raw"] / times["stream"], 3), "ratio")


def bench_stream_file(size: int = 256 * MIB) -> None:
    """Encrypt a file of ``size`` bytes in a child process; report its peak RSS.

    Run before anything large is allocated here: on Linux an exec'd child's ru_maxrss also
    counts the parent's resident high-water mark from before the exec (fork/vfork), so a
    big parent would inflate it.  The child's own VmHWM (its peak after exec) is reported
    as a cross-check.
    """
    with tempfile.TemporaryDirectory(prefix="safelight-bench-") as folder:
        src, dst = Path(folder) / "plain", Path(folder) / "cipher"
        block = bytearray(os.urandom(MIB))
        with src.open("wb") as out:
            for index in range(size // MIB):
                block[:8] = index.to_bytes(8, "big")  # every MiB differs
                out.write(block)
        result = subprocess.run(
            [sys.executable, "-m", "bench.crypto", "--child-stream", str(src), str(dst)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(result.stdout)
        if report["written"] != dst.stat().st_size:
            raise RuntimeError("the child's output file has the wrong size")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    emit("stream_encrypt_peak_rss_mib", round(peak_kib / 1024, 1), "MiB")
    if report["vmhwm_kib"] is not None:
        emit("stream_encrypt_child_vmhwm_mib", round(report["vmhwm_kib"] / 1024, 1), "MiB")
    emit("stream_encrypt_256mib_file_mb_per_s", mb_per_s(size, report["seconds"]), "MB/s")


def child_stream(src: str, dst: str) -> None:
    key = generate_key()
    start = time.perf_counter()
    with open(src, "rb") as source, open(dst, "wb") as target:
        written = encrypt_file(key, source, target, **CTX)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "written": written, "vmhwm_kib": _vmhwm_kib()}))


def _vmhwm_kib() -> int | None:
    """This process's peak resident set since exec (Linux), in KiB."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def rate(operation: Callable[[], object], seconds: float = 1.5) -> float:
    """Operations per second, single thread, measured over about ``seconds``."""
    count = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            operation()
        count += 50
    return count / elapsed


def bench_oprf() -> None:
    sk = oprf.generate_key()
    k1, k2 = oprf.split_key(sk)
    _, blinded = oprf.blind(b"reporter@example.org")
    emit("oprf_blind_evaluate_per_s", round(rate(lambda: oprf.blind_evaluate(sk, blinded))), "1/s")

    def roundtrip() -> bytes:
        blind, element = oprf.blind(b"reporter@example.org")
        combined = oprf.combine_evaluations(
            oprf.blind_evaluate(k1, element), oprf.blind_evaluate(k2, element)
        )
        return oprf.finalize(b"reporter@example.org", blind, combined)

    emit("oprf_roundtrip_per_s", round(rate(roundtrip)), "1/s")


def median_ms(operation: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def bench_argon2() -> None:
    private_key = KeyPair.generate().private_key
    emit(
        "argon2id_wrap_ms",
        median_ms(lambda: wrap_private_key(private_key, "a passphrase", params=DEFAULT_ARGON2)),
        "ms",
    )
    receipt, pepper = generate_receipt(), os.urandom(32)
    emit(
        "receipt_derive_ms",
        median_ms(lambda: derive_receipt_keys(receipt, pepper, params=RECEIPT_ARGON2)),
        "ms",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child-stream", nargs=2, metavar=("SRC", "DST"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_stream:
        child_stream(*args.child_stream)
        return
    bench_stream_file()  # first, while this process is still small (see its docstring)
    key = generate_key()
    for label, size, runs in (("1mib", MIB, 40), ("64mib", 64 * MIB, 8)):
        data = os.urandom(size)
        bench_fields(key, data, label, runs)
        bench_streams(key, data, label, runs)
        del data
    bench_oprf()
    bench_argon2()


if __name__ == "__main__":
    main()
