"""Byte chunks to lines, in bounded memory; and the upload's chunks, counted.

`iter_lines` cuts a stream of byte chunks at b"\\n" and yields each line with its b"\\n" (the last
line of a file may have none), so that joining what it yields gives back the input. A line longer
than `max_line` bytes is never held whole: what was read of it is dropped and an `OverlongLine`
stands in its place, so a hostile file with a 2 GB line costs `max_line` bytes of memory, not 2 GB.
Where the chunks are cut never changes what comes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

MAX_LINE = 1 << 20  # 1 MiB; WhatsApp's longest message (65,536 characters) is at most 256 KiB


class OverlongLine:
    """Stands for a line that was longer than the limit; only its size in bytes is kept."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size

    def __repr__(self) -> str:
        return f"OverlongLine({self.size})"


def iter_lines(chunks: Iterable[bytes], max_line: int = MAX_LINE) -> Iterator[bytes | OverlongLine]:
    """Yield the lines of `chunks` (b"\\n" kept), or an `OverlongLine` for one over `max_line`.

    The limit counts the bytes of a line before its b"\\n".
    """
    parts: list[bytes] = []  # the start of a line that has not ended yet
    size = 0  # bytes in parts
    dropping = 0  # > 0 while reading past the end of an over-long line: its bytes so far
    for chunk in chunks:
        if not chunk:
            continue
        if dropping:
            end = chunk.find(b"\n")
            if end < 0:
                dropping += len(chunk)
                continue
            yield OverlongLine(dropping + end)
            dropping = 0
            chunk = chunk[end + 1 :]
            if not chunk:
                continue
        last = chunk.rfind(b"\n")
        if last < 0:
            size += len(chunk)
            if size > max_line:
                dropping = size
                parts = []
                size = 0
            else:
                parts.append(chunk)
            continue
        if parts:
            first = chunk.find(b"\n")
            if size + first > max_line:
                yield OverlongLine(size + first)
                block = chunk[first + 1 : last + 1]
            else:
                parts.append(chunk[: last + 1])
                block = b"".join(parts)
            parts = []
            size = 0
        else:
            block = chunk if last == len(chunk) - 1 else chunk[: last + 1]
        lines = block.split(b"\n")
        lines.pop()  # block ends with b"\n": the last piece is empty
        if len(block) > max_line:
            for line in lines:
                if len(line) > max_line:
                    yield OverlongLine(len(line))
                else:
                    yield line + b"\n"
        else:
            for line in lines:
                yield line + b"\n"
        rest = len(chunk) - last - 1
        if rest:
            if rest > max_line:
                dropping = rest
            else:
                parts.append(chunk[last + 1 :])
                size = rest
    if dropping:
        yield OverlongLine(dropping)
    elif parts:
        yield b"".join(parts)


class CountedChunks:
    """The upload's chunks, counted as they are read.

    An error raised by the upload itself (a decryption failure, say) is marked, so that an
    importer that turns errors into `Skipped` can tell it from bad data and let it through.
    """

    __slots__ = ("_chunks", "failed", "read")

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self.read = 0  # bytes so far
        self.failed = False

    def __iter__(self) -> CountedChunks:
        return self

    def __next__(self) -> bytes:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            raise
        except BaseException:
            self.failed = True
            raise
        self.read += len(chunk)
        return chunk
