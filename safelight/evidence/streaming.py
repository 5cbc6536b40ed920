"""Stream a ZIP that is written by a blocking writer: the writer runs on a thread and hands its
bytes over through a small queue, so the response never holds the bundle in memory or on disk
(the bundle holds the survivor's evidence in clear; it must not rest anywhere on the server)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

_DONE = object()
PIECE = 256 * 1024


class _QueueWriter:
    """A write-only, non-seekable file: zipfile then writes data descriptors, as it must."""

    def __init__(self, out: queue.Queue) -> None:
        self.out = out
        self.buffer = bytearray()

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= PIECE:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.out.put(bytes(self.buffer))
            self.buffer = bytearray()

    def tell(self) -> int:
        raise OSError("not seekable")

    def seekable(self) -> bool:
        return False


def stream(write: Callable[[BinaryIO], None]) -> Iterator[bytes]:
    """Run `write(file)` on a thread; yield what it writes. Its exception ends the stream."""
    out: queue.Queue = queue.Queue(maxsize=8)
    failure: list[BaseException] = []

    def run() -> None:
        writer = _QueueWriter(out)
        try:
            write(writer)  # type: ignore[arg-type]
            writer.flush()
        except BaseException as exc:  # handed to the response's generator below
            failure.append(exc)
        finally:
            out.put(_DONE)

    thread = threading.Thread(target=run, name="bundle-writer", daemon=True)
    thread.start()
    while True:
        piece = out.get()
        if piece is _DONE:
            break
        yield piece
    thread.join()
    if failure:
        raise failure[0]
