"""A ZIP written as it streams: the data files first (deflated), then the photos,
recordings, videos and documents they refer to (stored: they are compressed already), each
once. Every entry is copied in chunks, so a large video costs no more memory than a photo."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable, Iterator

from ..attachments.storage import MediaMissing, MediaStore
from .media import MediaNames

FILE_CHUNK = 256 * 1024


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


def _entry(name: str, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    return info


def zip_chunks(entries: Iterable[tuple[str, Iterable[bytes]]], media: MediaNames | None,
               store: MediaStore) -> Iterator[bytes]:
    """`entries`: (name, bytes) of the data files, each read only when its turn comes (a
    repeat table's file is complete once the main table has been written). Media are read
    from `store` (disk or bucket); files it does not hold are skipped (their hash stays in
    the data file)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for name, data in entries:
            with archive.open(_entry(name, zipfile.ZIP_DEFLATED), "w",
                              force_zip64=True) as entry:
                for chunk in data:
                    entry.write(chunk)
                    yield from sink.drain()
            yield from sink.drain()
        for sha, name in media.files() if media is not None else ():
            if name in archive.NameToInfo:
                continue
            try:
                source = store.open(sha)
            except MediaMissing:
                continue
            with source, archive.open(
                    _entry(name, zipfile.ZIP_STORED), "w", force_zip64=True) as entry:
                while chunk := source.read(FILE_CHUNK):
                    entry.write(chunk)
                    yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()
