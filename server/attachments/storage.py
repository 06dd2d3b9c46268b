"""Where media bytes live, by content hash: the store interface, its errors, and the local
disk store (the default): <media>/ab/cd/<sha256>. Local writes are atomic and durable
(fsync of the file, then of its directory after the rename). The S3 store is in s3.py."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from ..patterns import SHA256_RE

CHUNK = 64 * 1024


class TooLarge(Exception):
    pass


class HashMismatch(Exception):
    def __init__(self, actual: str):
        super().__init__(actual)
        self.actual = actual


class MediaMissing(FileNotFoundError):
    """The store holds no file under this hash."""


class StoreUnavailable(Exception):
    """The store could not be reached or refused us (network, credentials, permissions):
    nothing was stored, the client should try again later."""


@dataclass(frozen=True)
class FileStat:
    size: int
    modified: datetime  # UTC-aware: when the bytes were last written under this hash


class MediaFile(Protocol):
    """An open stored file: read, seek and tell like a binary file, and its full size."""

    size: int

    def read(self, n: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def tell(self) -> int: ...
    def seekable(self) -> bool: ...
    def close(self) -> None: ...


class MediaStore(Protocol):
    """A content-addressed store: a file is kept under the SHA-256 of its bytes, and only
    once the bytes were checked against it."""

    def save(self, sha256: str, stream: BinaryIO, limit: int) -> int:
        """Read `stream` to the end, refuse it beyond `limit` bytes (TooLarge) or when its
        hash is not `sha256` (HashMismatch); nothing is ever left under the real name unless
        it is complete and right. Returns the size."""

    def open(self, sha256: str) -> MediaFile:
        """The stored file (MediaMissing if there is none)."""

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int:
        """Bytes of the stored file (MediaMissing if there is none)."""

    def stat(self, sha256: str) -> FileStat | None: ...

    def delete(self, sha256: str) -> None:
        """Remove the file; removing a file that is not there is not an error."""

    def iter_hashes(self) -> Iterator[tuple[str, datetime]]:
        """Every stored hash with the time its bytes were last written (UTC)."""

    def iter_stats(self) -> Iterator[tuple[str, FileStat]]:
        """Every stored hash with its size and time, in one listing."""

    def describe(self) -> str:
        """Where the files are, for logs and command output (never credentials)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class LocalFile(io.FileIO):
    """A stored file on disk, with its size known from the start."""

    @property
    def size(self) -> int:
        return os.fstat(self.fileno()).st_size


class LocalStore:
    PARTIAL_PREFIX = ".upload-"

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def describe(self) -> str:
        return f"local folder {self.root}"

    def _make_dirs(self, directory: Path) -> None:
        """Create the directory and any missing parents; each new entry is synced into its
        parent, or a power cut could lose the directory with the file in it."""
        missing = []
        while not directory.is_dir():
            missing.append(directory)
            directory = directory.parent
        for new in reversed(missing):
            new.mkdir(exist_ok=True)
            _fsync_dir(new.parent)

    def save(self, sha256: str, stream: BinaryIO, limit: int) -> int:
        """Stream to a temporary file, check size and hash, sync it, rename it into place and
        sync the directory: when this returns (and the upload is confirmed) the file is on
        disk under its name, whatever happens to the machine next. A file saved again gets
        a new modification time, which the clean-up's grace period counts from."""
        target = self.path_for(sha256)
        self._make_dirs(target.parent)
        hasher, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=self.PARTIAL_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge()
                    hasher.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if hasher.hexdigest() != sha256:
                raise HashMismatch(hasher.hexdigest())
            os.replace(tmp, target)
            tmp = None
            _fsync_dir(target.parent)  # the rename survives a power cut before we record it
        finally:
            if tmp is not None:
                os.unlink(tmp)
        return size

    def open(self, sha256: str) -> LocalFile:
        try:
            return LocalFile(self.path_for(sha256), "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as err:
            raise MediaMissing(sha256) from err

    def stat(self, sha256: str) -> FileStat | None:
        try:
            st = self.path_for(sha256).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return FileStat(st.st_size, _utc(st.st_mtime))

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        found = self.stat(sha256)
        if found is None:
            raise MediaMissing(sha256)
        return found.size

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def _shards(self) -> Iterator[os.DirEntry]:
        """The <ab>/<cd> folders' entries, in a stable order."""
        if not self.root.is_dir():
            return
        for first in sorted(os.scandir(self.root), key=lambda e: e.name):
            if len(first.name) != 2 or not first.is_dir(follow_symlinks=False):
                continue
            for second in sorted(os.scandir(first.path), key=lambda e: e.name):
                if len(second.name) == 2 and second.is_dir(follow_symlinks=False):
                    yield from sorted(os.scandir(second.path), key=lambda e: e.name)

    def iter_stats(self) -> Iterator[tuple[str, FileStat]]:
        for entry in self._shards():
            name = entry.name
            if SHA256_RE.fullmatch(name) and entry.path == str(self.path_for(name)) \
                    and entry.is_file(follow_symlinks=False):
                st = entry.stat()
                yield name, FileStat(st.st_size, _utc(st.st_mtime))

    def iter_hashes(self) -> Iterator[tuple[str, datetime]]:
        for sha256, found in self.iter_stats():
            yield sha256, found.modified

    def iter_partial(self) -> Iterator[tuple[Path, int, datetime]]:
        """Temporary files of uploads that never finished (the server was killed during
        one): (path, size, modified)."""
        for entry in self._shards():
            if entry.name.startswith(self.PARTIAL_PREFIX) and entry.is_file(
                    follow_symlinks=False):
                st = entry.stat()
                yield Path(entry.path), st.st_size, _utc(st.st_mtime)
