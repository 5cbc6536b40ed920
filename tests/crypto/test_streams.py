"""Stream encryption: round trips, constant memory, tampering, truncation, reordering."""

from __future__ import annotations

import io
import itertools
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelight.crypto import (
    DEFAULT_CHUNK_SIZE,
    DecryptionError,
    InvalidInput,
    StreamDecryptor,
    StreamEncryptor,
    TruncatedStream,
    UnsupportedFormat,
    _sodium,
    decrypt_file,
    encrypt_file,
    iter_decrypt,
    streams,
)

KEY = bytes(range(32))
CTX = {"purpose": "evidence", "object_id": "7", "field": "file"}


def encrypt(data: bytes, chunk_size: int, key: bytes = KEY, **ctx: str) -> bytes:
    dst = io.BytesIO()
    written = encrypt_file(
        key, io.BytesIO(data), dst, chunk_size=chunk_size, **{**CTX, **ctx}
    )
    assert written == len(dst.getvalue())
    return dst.getvalue()


def decrypt(blob: bytes, key: bytes = KEY, **ctx: str) -> bytes:
    dst = io.BytesIO()
    written = decrypt_file(key, io.BytesIO(blob), dst, **{**CTX, **ctx})
    assert written == len(dst.getvalue())
    return dst.getvalue()


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(data)) for cut in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


def chunks_of(blob: bytes, chunk_size: int) -> tuple[bytes, list[bytes]]:
    header, body = blob[: streams.HEADER_SIZE], blob[streams.HEADER_SIZE :]
    unit = chunk_size + streams.CHUNK_OVERHEAD
    return header, [body[i : i + unit] for i in range(0, len(body), unit)]


def craft(parts: list[tuple[bytes, int]], chunk_size: int) -> bytes:
    """A stream with chosen secretstream tags (0 message, 1 push, 2 rekey, 3 final)."""
    ad = streams._stream_ad(chunk_size, CTX["purpose"], CTX["object_id"], CTX["field"])
    state = _sodium.PushStream(KEY)
    out = [ad[:5] + state.header]
    for data, tag in parts:
        buffer = _sodium.new_buffer(len(data) + streams.CHUNK_OVERHEAD)
        _sodium._stream_push(state._state, buffer, None, data, len(data), ad, len(ad), tag)
        out.append(buffer.raw)
    return b"".join(out)


@settings(max_examples=150)
@given(
    data=st.binary(max_size=3000),
    chunk_size=st.integers(1, 700),
    enc_cuts=st.lists(st.integers(0, 3000), max_size=6),
    dec_cuts=st.lists(st.integers(0, 6000), max_size=6),
)
def test_it_round_trips_however_the_input_is_split(
    data: bytes, chunk_size: int, enc_cuts: list[int], dec_cuts: list[int]
) -> None:
    encryptor = StreamEncryptor(KEY, chunk_size=chunk_size, **CTX)
    blob = b"".join(encryptor.update(piece) for piece in split(data, enc_cuts))
    blob += encryptor.finalize()
    assert blob == blob[:1] + blob[1:]
    assert blob[0] == 0x41
    assert int.from_bytes(blob[1:5], "big") == chunk_size
    full, rest = divmod(len(data), chunk_size)
    assert len(blob) == 29 + full * (chunk_size + 17) + rest + 17
    decryptor = StreamDecryptor(KEY, **CTX)
    plain = b"".join(decryptor.update(piece) for piece in split(blob, dec_cuts))
    assert plain + decryptor.finalize() == data
    assert encrypt(data, chunk_size) != blob  # fresh header every time
    assert decrypt(blob) == data


@pytest.mark.parametrize("size", [0, 1, DEFAULT_CHUNK_SIZE - 1, DEFAULT_CHUNK_SIZE,
                                  DEFAULT_CHUNK_SIZE + 1, 3 * DEFAULT_CHUNK_SIZE])
def test_it_round_trips_files_with_the_default_chunk_size(size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    blob = encrypt(data, DEFAULT_CHUNK_SIZE)
    assert decrypt(blob) == data
    pieces = list(iter_decrypt(KEY, io.BytesIO(blob), read_size=1000, **CTX))
    assert b"".join(pieces) == data
    assert all(pieces)


def test_it_releases_plaintext_chunk_by_chunk() -> None:
    blob = encrypt(b"a" * 10 + b"b" * 10 + b"c" * 3, 10)
    decryptor = StreamDecryptor(KEY, **CTX)
    assert decryptor.update(blob[:29]) == b""
    assert decryptor.update(blob[29 : 29 + 26]) == b""  # chunk not complete yet
    assert decryptor.update(blob[29 + 26 : 29 + 27]) == b"a" * 10
    assert decryptor.update(blob[29 + 27 :]) == b"b" * 10
    assert decryptor.finalize() == b"c" * 3


@settings(max_examples=150)
@given(data=st.data())
def test_it_rejects_any_tampered_byte(data: st.DataObject) -> None:
    blob = bytearray(encrypt(b"x" * 50, 16))
    index = data.draw(st.integers(0, len(blob) - 1))
    blob[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(UnsupportedFormat if index == 0 else DecryptionError):
        decrypt(bytes(blob))


@given(cut=st.integers(0, 29 + 3 * 33 + 17 + 4))
def test_it_rejects_every_truncation(cut: int) -> None:
    blob = encrypt(b"y" * 52, 16)  # three full chunks and a 4-byte final chunk
    assert len(blob) == 29 + 3 * 33 + 21
    if cut < len(blob):
        with pytest.raises(DecryptionError):
            decrypt(blob[:cut])


def test_it_reports_truncation_at_chunk_boundaries_and_in_the_header() -> None:
    blob = encrypt(b"z" * 48, 16)  # three full chunks and an empty final chunk
    for cut in (0, 1, 28, 29, 29 + 33, 29 + 66, 29 + 99, 29 + 99 + 16):
        with pytest.raises(TruncatedStream):
            decrypt(blob[:cut])


def test_it_rejects_reordered_dropped_and_repeated_chunks() -> None:
    header, chunks = chunks_of(encrypt(bytes(range(64)), 16), 16)
    assert len(chunks) == 5
    variants = [
        [chunks[1], chunks[0], *chunks[2:]],
        [chunks[0], chunks[2], chunks[1], *chunks[3:]],
        [chunks[0], *chunks[2:]],
        [chunks[0], chunks[0], *chunks[1:]],
        [*chunks[:-1], chunks[-2], chunks[-1]],
    ]
    for variant in variants:
        with pytest.raises(DecryptionError):
            decrypt(header + b"".join(variant))


def test_it_rejects_chunks_from_another_stream() -> None:
    _, chunks = chunks_of(encrypt(bytes(48), 16), 16)
    other_header, _ = chunks_of(encrypt(bytes(48), 16), 16)
    with pytest.raises(DecryptionError):
        decrypt(other_header + b"".join(chunks))


def test_it_rejects_data_after_the_final_chunk() -> None:
    blob = encrypt(b"q" * 20, 16)
    for extra in (b"\x00", bytes(33), bytes(100), blob[29:]):
        # The short final chunk plus what follows no longer authenticates as one chunk.
        with pytest.raises(DecryptionError):
            decrypt(blob + extra)
    decryptor = StreamDecryptor(KEY, **CTX)
    assert decryptor.update(blob) == b"q" * 16
    assert decryptor.finalize() == b"q" * 4
    exact = encrypt(b"q" * 32, 16)  # ends with an empty final chunk
    for extra in (b"!", bytes(17), bytes(40)):
        with pytest.raises(DecryptionError):
            decrypt(exact + extra)


def test_it_rejects_a_full_size_final_chunk_followed_by_more() -> None:
    blob = craft([(b"a" * 8, 3), (b"b" * 8, 0), (b"", 3)], 8)
    with pytest.raises(DecryptionError, match="after the final chunk"):
        decrypt(blob)
    decryptor = StreamDecryptor(KEY, **CTX)
    decryptor.update(blob[:29 + 20])
    with pytest.raises(DecryptionError, match="after the final chunk"):
        decryptor.update(blob[29 + 20 :])
    # A full-size final chunk on its own is a complete stream ...
    complete = craft([(b"a" * 8, 0), (b"b" * 8, 3)], 8)
    assert decrypt(complete) == b"a" * 8 + b"b" * 8
    # ... after which nothing more may come, in the same update or a later one.
    with pytest.raises(DecryptionError, match="after the final chunk"):
        decrypt(complete + b"xyz")
    decryptor = StreamDecryptor(KEY, **CTX)
    assert decryptor.update(complete) == b"a" * 8 + b"b" * 8
    assert decryptor.update(b"") == b""
    with pytest.raises(DecryptionError, match="after the final chunk"):
        decryptor.update(b"x")


def test_it_rejects_unexpected_secretstream_tags() -> None:
    for tag in (1, 2):
        with pytest.raises(DecryptionError, match="unexpected tag"):
            decrypt(craft([(b"a" * 8, tag), (b"", 3)], 8))
    with pytest.raises(TruncatedStream):
        decrypt(craft([(b"a" * 8, 0), (b"b" * 3, 0)], 8))


@pytest.mark.parametrize("which", sorted(CTX))
def test_it_rejects_a_stream_moved_to_another_context(which: str) -> None:
    blob = encrypt(b"evidence", 16)
    with pytest.raises(DecryptionError):
        decrypt(blob, **{which: "other"})


def test_it_rejects_a_wrong_key() -> None:
    with pytest.raises(DecryptionError):
        decrypt(encrypt(b"evidence", 16), key=bytes(32))


@pytest.mark.parametrize("chunk_size", [0, streams.MAX_CHUNK_SIZE + 1, 2**32 - 1])
def test_it_rejects_headers_naming_impossible_chunk_sizes(chunk_size: int) -> None:
    blob = encrypt(b"evidence", 16)
    with pytest.raises(DecryptionError, match="invalid chunk size"):
        decrypt(blob[:1] + chunk_size.to_bytes(4, "big") + blob[5:])


def test_it_rejects_use_after_finalize_and_after_failure() -> None:
    encryptor = StreamEncryptor(KEY, **CTX)
    header = encryptor.finalize()
    assert len(header) == 29 + 17
    with pytest.raises(InvalidInput, match="already finalized"):
        encryptor.update(b"x")
    with pytest.raises(InvalidInput):
        encryptor.finalize()
    decryptor = StreamDecryptor(KEY, **CTX)
    assert decryptor.update(header) == b""
    assert decryptor.finalize() == b""
    with pytest.raises(InvalidInput):
        decryptor.update(b"")
    with pytest.raises(InvalidInput):
        decryptor.finalize()
    broken = StreamDecryptor(KEY, **CTX)
    with pytest.raises(UnsupportedFormat):
        broken.update(b"\x11" * 40)
    with pytest.raises(InvalidInput, match="failed"):
        broken.update(header)


def test_it_emits_the_header_with_the_first_output() -> None:
    encryptor = StreamEncryptor(KEY, chunk_size=4, **CTX)
    first = encryptor.update(b"ab")
    assert len(first) == 29
    assert encryptor.update(b"") == b""
    assert len(encryptor.update(b"cdefgh")) == 2 * 21
    assert len(encryptor.finalize()) == 17


@pytest.mark.parametrize(
    "kwargs",
    [
        {"chunk_size": 0},
        {"chunk_size": streams.MAX_CHUNK_SIZE + 1},
        {"chunk_size": 16.0},
        {"purpose": ""},
        {"field": None},
    ],
)
def test_it_rejects_bad_encryptor_arguments(kwargs: dict) -> None:
    with pytest.raises(InvalidInput):
        StreamEncryptor(KEY, **{**CTX, **kwargs})


def test_it_rejects_bad_decryptor_arguments() -> None:
    with pytest.raises(InvalidInput):
        StreamDecryptor(KEY[:16], **CTX)
    with pytest.raises(InvalidInput):
        StreamDecryptor(KEY, **{**CTX, "object_id": ""})
    with pytest.raises(InvalidInput):
        StreamDecryptor(KEY, **CTX).update("text")  # type: ignore[arg-type]
    for read_size in (0, -1, 1.5):
        with pytest.raises(InvalidInput):
            iter_decrypt(KEY, io.BytesIO(), read_size=read_size, **CTX)  # type: ignore[arg-type]


def test_it_raises_at_the_end_of_iteration_of_a_truncated_stream() -> None:
    blob = encrypt(b"k" * 40, 16)
    pieces = iter_decrypt(KEY, io.BytesIO(blob[:-17]), read_size=33, **CTX)
    assert next(pieces) == b"k" * 16
    assert next(pieces) == b"k" * 16
    with pytest.raises(TruncatedStream):
        next(pieces)


class _Zeros(io.RawIOBase):
    """A reader of ``size`` zero bytes that never holds them all."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


class _Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.count += len(data)
        return len(data)


def test_it_encrypts_and_decrypts_in_bounded_memory(tmp_path: Path) -> None:
    size = 24 * 1024 * 1024
    chunks = -(-size // DEFAULT_CHUNK_SIZE) + (size % DEFAULT_CHUNK_SIZE == 0)
    path = tmp_path / "cipher"
    tracemalloc.start()
    try:
        with path.open("wb") as out:
            written = encrypt_file(KEY, _Zeros(size), out, **CTX)  # type: ignore[arg-type]
        _, encrypt_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        sink = _Sink()
        with path.open("rb") as src:
            plain = decrypt_file(KEY, src, sink, **CTX)  # type: ignore[arg-type]
        _, decrypt_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == path.stat().st_size == 29 + size + 17 * chunks
    assert plain == sink.count == size
    assert encrypt_peak < 1024 * 1024
    assert decrypt_peak < 2 * 1024 * 1024


def test_it_reports_the_pieces_it_could_not_place() -> None:
    state = _sodium.PushStream(KEY)
    out = _sodium.new_buffer(40)
    with pytest.raises(InvalidInput):
        state.push_into(out, 0, b"abc", 2, 5, b"", False)
    with pytest.raises(InvalidInput):
        state.push_into(out, 30, b"abc", 0, 3, b"", False)
    puller = _sodium.PullStream(state.header, KEY)
    with pytest.raises(DecryptionError):
        puller.pull_into(out, 0, bytes(40), 0, 16, b"")
    with pytest.raises(InvalidInput):
        puller.pull_into(out, 30, bytes(40), 0, 40, b"")


class _ReadOnly:
    """A source with read() but no readinto(), returning short reads."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self.data.read(min(n, 7) if n > 0 else n)


class _Trickle(io.RawIOBase):
    """A readinto() source that hands out at most 5 bytes per call."""

    def __init__(self, data: bytes, stall: bool = False) -> None:
        self.data = io.BytesIO(data)
        self.stall = stall

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int | None:  # type: ignore[override]
        if self.stall:
            return None
        chunk = self.data.read(min(5, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("size", [0, 15, 16, 17, 100])
def test_it_encrypts_sources_with_short_reads_or_without_readinto(size: int) -> None:
    data = bytes(range(size))
    expected = len(encrypt(data, 16))
    for source in (_ReadOnly(data), _Trickle(data)):
        out = io.BytesIO()
        written = encrypt_file(KEY, source, out, chunk_size=16, **CTX)  # type: ignore[arg-type]
        assert written == expected == len(out.getvalue())
        assert decrypt(out.getvalue()) == data


def test_it_refuses_a_non_blocking_source_with_nothing_ready() -> None:
    stalled = _Trickle(b"abc", stall=True)
    with pytest.raises(InvalidInput, match="non-blocking"):
        encrypt_file(KEY, stalled, io.BytesIO(), **CTX)  # type: ignore[arg-type]
