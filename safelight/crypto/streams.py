"""Stream encryption for files (evidence uploads, exports) in constant memory.

libsodium secretstream XChaCha20-Poly1305.  Format::

    0x41 || chunk_size (4, BE) || secretstream header (24) || chunk || chunk || ...

Every chunk but the last encrypts exactly ``chunk_size`` plaintext bytes (``chunk_size + 17``
bytes on disk) with TAG_MESSAGE; the last encrypts the remaining 0 to ``chunk_size - 1`` bytes
with TAG_FINAL.  Every chunk's associated data is ``0x41 || chunk_size || purpose, object_id,
field`` (length-prefixed, as for fields), so a stream cannot be moved to another object, and
secretstream itself makes dropped, repeated, reordered or truncated chunks fail.

Plaintext is released only chunk by chunk after that chunk authenticated; whether the stream
is complete is known only at ``finalize()``.  A consumer that already wrote or sent earlier
chunks must treat a failure at the end as "discard everything" (decrypt to a temporary file).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from . import _sodium
from .context import associated_data
from .errors import DecryptionError, InvalidInput, TruncatedStream
from .formats import STREAM, expect_format
from .inputs import as_bytes, symmetric_key

__all__ = [
    "CHUNK_OVERHEAD",
    "DEFAULT_CHUNK_SIZE",
    "MAX_CHUNK_SIZE",
    "StreamDecryptor",
    "StreamEncryptor",
    "decrypt_file",
    "encrypt_file",
    "iter_decrypt",
]

DEFAULT_CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 1024 * 1024
CHUNK_OVERHEAD = _sodium.STREAM_OVERHEAD
HEADER_SIZE = 1 + 4 + _sodium.STREAM_HEADER_BYTES
DEFAULT_READ_SIZE = 4 * (DEFAULT_CHUNK_SIZE + CHUNK_OVERHEAD)


def _chunk_size(value: object) -> int:
    if type(value) is not int or not 1 <= value <= MAX_CHUNK_SIZE:
        raise InvalidInput(f"chunk_size must be an int from 1 to {MAX_CHUNK_SIZE}")
    return value


def _stream_ad(chunk_size: int, purpose: object, object_id: object, field: object) -> bytes:
    prefix = bytes([STREAM]) + chunk_size.to_bytes(4, "big")
    return associated_data(prefix, purpose=purpose, object_id=object_id, field=field)


class StreamEncryptor:
    """Incremental encryption: feed plaintext to ``update``, then call ``finalize`` once.

    Each call returns the ciphertext ready to write (the stream header comes with the first
    output).  At most one partial chunk is buffered.
    """

    def __init__(
        self,
        key: bytes,
        *,
        purpose: str,
        object_id: str,
        field: str,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        raw_key = symmetric_key(key)
        self._chunk = _chunk_size(chunk_size)
        self._ad = _stream_ad(self._chunk, purpose, object_id, field)
        self._state: _sodium.PushStream | None = _sodium.PushStream(raw_key)
        self._header = self._ad[:5] + self._state.header
        self._pending = bytearray()

    def _take_header(self) -> bytes:
        header, self._header = self._header, b""
        return header

    def _live(self) -> _sodium.PushStream:
        if self._state is None:
            raise InvalidInput("this StreamEncryptor is already finalized")
        return self._state

    def update(self, data: bytes) -> bytes:
        """Encrypt what whole chunks ``data`` completes; return header and/or chunks."""
        state = self._live()
        message = as_bytes(data, "data")
        size = self._chunk
        pending = self._pending
        count = (len(pending) + len(message)) // size
        if count == 0:
            pending += message
            return self._take_header()
        header = self._take_header()
        out = _sodium.new_buffer(len(header) + count * (size + CHUNK_OVERHEAD), header)
        position = len(header)
        used = 0
        if pending:
            used = size - len(pending)
            pending += memoryview(message)[:used]
            state.push_into(out, position, pending, 0, size, self._ad, False)
            pending.clear()
            position += size + CHUNK_OVERHEAD
            count -= 1
        for _ in range(count):
            state.push_into(out, position, message, used, size, self._ad, False)
            used += size
            position += size + CHUNK_OVERHEAD
        pending += memoryview(message)[used:]
        return out.raw

    def _push_whole(self, buffer: bytearray, size: int, final: bool) -> bytearray:
        """Encrypt ``buffer[:size]`` as one chunk (encrypt_file's path: nothing pending).

        Returns a new bytearray, written in place by libsodium: no copy into a bytes."""
        state = self._live()
        header = self._take_header()
        out = bytearray(len(header) + size + CHUNK_OVERHEAD)
        out[: len(header)] = header
        state.push_into(out, len(header), buffer, 0, size, self._ad, final)
        if final:
            state.close()
            self._state = None
        return out

    def finalize(self) -> bytes:
        """Encrypt the buffered rest as the final chunk; return it (with the header if no
        output was returned yet).  Later calls raise InvalidInput."""
        state = self._live()
        rest = bytes(self._pending)
        header = self._take_header()
        out = _sodium.new_buffer(len(header) + len(rest) + CHUNK_OVERHEAD, header)
        state.push_into(out, len(header), rest, 0, len(rest), self._ad, True)
        state.close()
        self._state = None
        self._pending.clear()
        return out.raw


class StreamDecryptor:
    """Incremental decryption: ``update`` returns plaintext of each chunk once that chunk
    authenticated; ``finalize`` raises TruncatedStream if the final chunk never came."""

    def __init__(self, key: bytes, *, purpose: str, object_id: str, field: str) -> None:
        self._key = symmetric_key(key)
        self._context = (purpose, object_id, field)
        _stream_ad(1, purpose, object_id, field)  # validate the context now, not later
        self._state: _sodium.PullStream | None = None
        self._chunk = 0
        self._ad = b""
        self._pending = bytearray()
        self._finished = False
        self._closed = False

    def _start(self) -> _sodium.PullStream:
        header = bytes(self._pending[:HEADER_SIZE])
        expect_format(header, STREAM)
        chunk_size = int.from_bytes(header[1:5], "big")
        if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
            raise DecryptionError("the stream header names an invalid chunk size")
        self._chunk = chunk_size
        self._ad = _stream_ad(chunk_size, *self._context)
        self._state = _sodium.PullStream(header[5:], self._key)
        del self._pending[:HEADER_SIZE]
        return self._state

    def update(self, data: bytes) -> bytes:
        """Feed ciphertext; return the plaintext of every chunk completed and authenticated."""
        if self._closed:
            raise InvalidInput("this StreamDecryptor is already finalized or failed")
        message = as_bytes(data, "data")
        try:
            return self._update(message)
        except BaseException:
            self._fail()
            raise

    def _update(self, data: bytes) -> bytes:
        pending = self._pending
        state = self._state
        if state is None:
            pending += data
            if len(pending) < HEADER_SIZE:
                return b""
            state = self._start()
            data = bytes(pending)
            pending.clear()
        if self._finished:
            if data:
                raise DecryptionError("data after the final chunk of the stream")
            return b""
        unit = self._chunk + CHUNK_OVERHEAD
        count = (len(pending) + len(data)) // unit
        if count == 0:
            pending += data
            return b""
        out = _sodium.new_buffer(count * self._chunk)
        position = used = 0
        if pending:
            used = unit - len(pending)
            pending += memoryview(data)[:used]
            self._pull_full(state, out, position, pending, 0)
            pending.clear()
            position += self._chunk
            count -= 1
        for _ in range(count):
            if self._finished:
                raise DecryptionError("data after the final chunk of the stream")
            self._pull_full(state, out, position, data, used)
            used += unit
            position += self._chunk
        if self._finished and used < len(data):
            raise DecryptionError("data after the final chunk of the stream")
        pending += memoryview(data)[used:]
        return out.raw

    def _pull_full(
        self,
        state: _sodium.PullStream,
        out: _sodium.Buffer,
        position: int,
        data: bytes | bytearray,
        offset: int,
    ) -> None:
        tag = state.pull_into(out, position, data, offset, self._chunk + CHUNK_OVERHEAD, self._ad)
        if tag == _sodium.STREAM_TAG_FINAL:
            self._finished = True
        elif tag != _sodium.STREAM_TAG_MESSAGE:
            raise DecryptionError("stream chunk has an unexpected tag")

    def finalize(self) -> bytes:
        """Decrypt the last (short) chunk; raise TruncatedStream if the stream is incomplete."""
        if self._closed:
            raise InvalidInput("this StreamDecryptor is already finalized or failed")
        try:
            return self._finalize()
        finally:
            self._fail()

    def _finalize(self) -> bytes:
        if self._state is None:
            raise TruncatedStream("the stream ended inside its header")
        if self._finished:
            return b""
        rest = bytes(self._pending)
        if len(rest) < CHUNK_OVERHEAD:
            raise TruncatedStream("the stream ended before its final chunk")
        out = _sodium.new_buffer(len(rest) - CHUNK_OVERHEAD)
        tag = self._state.pull_into(out, 0, rest, 0, len(rest), self._ad)
        if tag != _sodium.STREAM_TAG_FINAL:
            raise TruncatedStream("the stream ended before its final chunk")
        return out.raw

    def _fail(self) -> None:
        self._closed = True
        self._pending.clear()
        if self._state is not None:
            self._state.close()


def encrypt_file(
    key: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    *,
    purpose: str,
    object_id: str,
    field: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Encrypt ``src`` into ``dst`` chunk by chunk; return the number of bytes written."""
    encryptor = StreamEncryptor(
        key, purpose=purpose, object_id=object_id, field=field, chunk_size=chunk_size
    )
    written = 0
    if not hasattr(src, "readinto"):
        while block := src.read(chunk_size):
            out = encryptor.update(block)
            dst.write(out)
            written += len(out)
        out = encryptor.finalize()
        dst.write(out)
        return written + len(out)
    # Read each chunk into one reused buffer: no per-chunk allocation of the input.
    buffer = bytearray(chunk_size)
    while True:
        size = _fill(src, buffer)
        written += _write(dst, encryptor._push_whole(buffer, size, final=size < chunk_size))
        if size < chunk_size:
            return written


def _write(dst: BinaryIO, data: bytearray) -> int:
    # A helper so that each chunk's buffer is freed before the next one is allocated: the
    # allocator then reuses the same memory instead of returning it to the system and
    # faulting fresh pages in for every chunk (measurably slower at 64 KiB).
    dst.write(data)
    return len(data)


def _fill(src: BinaryIO, buffer: bytearray) -> int:
    """readinto ``buffer`` until it is full or the source is exhausted; return the count."""
    filled = 0
    with memoryview(buffer) as view:
        while filled < len(buffer):
            count = src.readinto(view[filled:])  # type: ignore[attr-defined]
            if count is None:
                raise InvalidInput("the source is non-blocking and has no data ready")
            if count == 0:
                break
            filled += count
    return filled


def iter_decrypt(
    key: bytes,
    src: BinaryIO,
    *,
    purpose: str,
    object_id: str,
    field: str,
    read_size: int = DEFAULT_READ_SIZE,
) -> Iterator[bytes]:
    """Return an iterator of authenticated plaintext pieces of the stream in ``src`` (for
    streaming HTTP responses).  Arguments are checked now; a truncated or tampered stream
    raises during iteration, after the pieces before the damage were yielded."""
    if type(read_size) is not int or read_size < 1:
        raise InvalidInput("read_size must be a positive int")
    decryptor = StreamDecryptor(key, purpose=purpose, object_id=object_id, field=field)
    return _iter_decrypt(decryptor, src, read_size)


def _iter_decrypt(decryptor: StreamDecryptor, src: BinaryIO, read_size: int) -> Iterator[bytes]:
    while block := src.read(read_size):
        if piece := decryptor.update(block):
            yield piece
    if piece := decryptor.finalize():
        yield piece


def decrypt_file(
    key: bytes, src: BinaryIO, dst: BinaryIO, *, purpose: str, object_id: str, field: str
) -> int:
    """Decrypt the stream in ``src`` into ``dst``; return the plaintext bytes written.

    On an exception ``dst`` may hold a prefix of the plaintext: write to a temporary file and
    keep it only if this returns.
    """
    written = 0
    for piece in iter_decrypt(key, src, purpose=purpose, object_id=object_id, field=field):
        dst.write(piece)
        written += len(piece)
    return written
