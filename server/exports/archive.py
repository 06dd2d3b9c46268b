"""A ZIP written as it streams: the data file first (deflated), then the photos and voice
notes it refers to (stored: they are compressed already), each once."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .rows import MediaCollector


class _Sink:
    """A write-only, unseekable file: zipfile then writes data descriptors and never seeks,
    and what it wrote is handed on as it comes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        if self.parts:
            data = b"".join(self.parts)
            self.parts.clear()
            yield data


def zip_chunks(data_name: str, data: Iterable[bytes], media: MediaCollector,
               media_path: Callable[[str], Path]) -> Iterator[bytes]:
    """`media_path(sha)` is where the store keeps a file; files missing on disk are skipped
    (their hash stays in the data file)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        info = zipfile.ZipInfo(data_name, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            for chunk in data:
                entry.write(chunk)
                yield from sink.drain()
        yield from sink.drain()
        for sha, name in media.files():
            path = Path(media_path(sha))
            if name in archive.NameToInfo or not path.is_file():
                continue
            archive.write(path, name, compress_type=zipfile.ZIP_STORED)
            yield from sink.drain()
    yield from sink.drain()
