"""Content-addressed files on local disk: <media>/ab/cd/<sha256>. Writes are atomic and
durable (fsync of the file, then of its directory after the rename)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 64 * 1024


class TooLarge(Exception):
    pass


class HashMismatch(Exception):
    def __init__(self, actual: str):
        super().__init__(actual)
        self.actual = actual


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class MediaStore:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

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
        disk under its name, whatever happens to the machine next."""
        target = self.path_for(sha256)
        self._make_dirs(target.parent)
        hasher, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
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
