"""Copying the local media folder into a bucket, every file checked: a local file is hashed
as it is read (a damaged one is reported and not copied), the bucket checks the MD5 of what
it receives, and each copy is read back and hashed again. Files already in the bucket with
the same size and recorded hash are skipped, so an interrupted run simply starts again."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ..audit.services import record
from ..extensions import db
from .s3 import S3Store
from .storage import (
    CHUNK,
    HashMismatch,
    LocalStore,
    MediaMissing,
    StoreUnavailable,
    TooLarge,
)

log = logging.getLogger(__name__)


@dataclass
class MigrationReport:
    source: str
    target: str
    total: int = 0
    copied: int = 0
    copied_bytes: int = 0
    already: int = 0  # in the bucket before, with the right size and hash
    damaged: list[tuple[str, str]] = field(default_factory=list)  # (name, hash of the bytes)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (hash, why)

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.failed


def _hash_of(stored) -> str:  # noqa: ANN001 - a MediaFile
    hasher = hashlib.sha256()
    with stored:
        while chunk := stored.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _already_there(target: S3Store, sha256: str, size: int, verify: bool) -> bool:
    found = target.stat(sha256)
    if found is None or found.size != size:
        return False
    if verify:
        return _hash_of(target.open(sha256)) == sha256
    return target.stored_sha256(sha256) == sha256


def migrate_media(source: LocalStore, target: S3Store, *, verify_existing: bool = False,
                  progress: Callable[[int, int], None] | None = None,
                  actor: str = "cli") -> MigrationReport:
    """Copy every file of `source` that `target` lacks; `verify_existing` also downloads
    and hashes the files the bucket already had. Each run, finished or not, is audited."""
    report = MigrationReport(source=source.describe(), target=target.describe())
    report.total = sum(1 for _ in source.iter_stats())
    for done, (sha256, found) in enumerate(source.iter_stats(), start=1):
        try:
            if _already_there(target, sha256, found.size, verify_existing):
                report.already += 1
            else:
                with source.open(sha256) as local:
                    size = target.save(sha256, local, limit=found.size)
                if _hash_of(target.open(sha256)) != sha256:
                    target.delete(sha256)  # never left under its name with other bytes
                    report.failed.append((sha256, "read back with another hash: removed"))
                else:
                    report.copied += 1
                    report.copied_bytes += size
        except HashMismatch as err:
            report.damaged.append((sha256, err.actual))
            log.error("damaged local file %s: its bytes hash to %s", sha256, err.actual)
        except (MediaMissing, StoreUnavailable, TooLarge, OSError) as err:
            report.failed.append((sha256, str(err) or type(err).__name__))
        if progress is not None:
            progress(done, report.total)
    _audit(report, actor, verify_existing)
    return report


def _audit(report: MigrationReport, actor: str, verify_existing: bool) -> None:
    record("media_migrate", actor=actor, target=report.target[:200], details={
        "source": report.source, "total": report.total, "copied": report.copied,
        "bytes": report.copied_bytes, "already": report.already,
        "verify_existing": verify_existing,
        "damaged": [sha for sha, _ in report.damaged][:100],
        "failed": [sha for sha, _ in report.failed][:100]})
    db.session.commit()
