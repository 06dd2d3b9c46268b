"""Media clean-up: files nothing refers to are removed once they are older than the grace
period, from whichever store holds them; a dry run reports what would go.

Kept, whatever their age: files of submissions, of conflicting payloads kept for review, of
survey versions (choice lists, label images, prompts), and anything a feature registers with
`keep_hashes_from`. The grace period is what protects an upload in flight: a phone stores
its files first and sends the interview after (seconds later, or days later after losing
signal), so a file is only removed when neither its bytes nor its record are younger than
`grace_days`; a file sent again gets a new time. See docs/decisions.md."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice

from sqlalchemy import delete, func, select

from ..audit.services import record
from ..extensions import db
from ..submissions.models import SubmissionAttachment, SubmissionConflict
from ..surveys.models import SurveyFile
from .models import Attachment
from .services import media_store
from .storage import FileStat, LocalStore, MediaStore

log = logging.getLogger(__name__)

BATCH = 500
LISTED = 10_000  # files named in a report; the counts and bytes cover all of them

# features that keep files in the store under their hash, outside the tables read here:
# each callable gets a batch of hashes and answers those of them it still needs
_keepers: list[Callable[[list[str]], Iterable[str]]] = []


def keep_hashes_from(keeper: Callable[[list[str]], Iterable[str]]) -> None:
    """Register a feature's references (e.g. files it keeps in the media store)."""
    if keeper not in _keepers:
        _keepers.append(keeper)


@dataclass(frozen=True)
class RemovedFile:
    sha256: str
    size: int
    modified: datetime


@dataclass
class CleanupReport:
    dry_run: bool
    grace_days: int
    cutoff: datetime
    store: str
    checked: int = 0  # files the store holds
    kept_referenced: int = 0
    kept_recent: int = 0  # nothing refers to them, but they are within the grace period
    removed: int = 0  # or, in a dry run, would be removed
    removed_bytes: int = 0
    files: list[RemovedFile] = field(default_factory=list)  # the first LISTED of them
    partial_removed: int = 0  # unfinished uploads' temporary files (local store)
    partial_bytes: int = 0

    @property
    def listed_all(self) -> bool:
        return len(self.files) == self.removed


def _referenced(hashes: list[str], conflict_files: set[str]) -> set[str]:
    used = set(db.session.scalars(select(SubmissionAttachment.sha256).where(
        SubmissionAttachment.sha256.in_(hashes)).distinct()))
    used.update(db.session.scalars(select(SurveyFile.sha256).where(
        SurveyFile.sha256.in_(hashes)).distinct()))
    used.update(h for h in hashes if h in conflict_files)
    for keeper in _keepers:
        used.update(keeper(hashes))
    return used


def _conflict_files() -> set[str]:
    """Files listed by conflicting payloads (few: they wait for a coordinator's review)."""
    found: set[str] = set()
    for payload in db.session.scalars(select(SubmissionConflict.payload)):
        listed = (payload or {}).get("attachments") if isinstance(payload, dict) else None
        if isinstance(listed, list):
            found.update(h for h in listed if isinstance(h, str))
    return found


def _recorded_recently(hashes: list[str], cutoff: datetime) -> set[str]:
    return set(db.session.scalars(select(Attachment.sha256).where(
        Attachment.sha256.in_(hashes), Attachment.created_at >= cutoff)))


def _batches(items: Iterator[tuple[str, FileStat]]) -> Iterator[list[tuple[str, FileStat]]]:
    while batch := list(islice(items, BATCH)):
        yield batch


def _expected_total() -> int:
    """About how many files the store holds (for progress; a listing has no count)."""
    rows = db.session.scalar(select(func.count()).select_from(Attachment)) or 0
    files = db.session.scalar(select(func.count(func.distinct(SurveyFile.sha256)))) or 0
    return rows + files


def _remove(store: MediaStore, doomed: list[tuple[str, FileStat]], cutoff: datetime,
            conflict_files: set[str]) -> list[tuple[str, FileStat]]:
    """Remove what is still unreferenced and old at this moment: references and the file's
    time are looked at again right before, the record goes first (so an upload racing us
    is told its file is missing and sends it again), then the bytes."""
    hashes = [sha for sha, _ in doomed]
    still = _referenced(hashes, conflict_files) | _recorded_recently(hashes, cutoff)
    gone = []
    for sha, _listed in doomed:
        if sha in still:
            continue
        now = store.stat(sha)
        if now is None or now.modified >= cutoff:
            continue
        gone.append((sha, now))
    if gone:
        db.session.execute(delete(Attachment).where(
            Attachment.sha256.in_([sha for sha, _ in gone])))
        db.session.commit()
    for sha, _ in gone:
        store.delete(sha)
    return gone


def run_cleanup(*, dry_run: bool, grace_days: int,
                progress: Callable[[int, int], None] | None = None,
                actor: str = "cli", now: datetime | None = None) -> CleanupReport:
    """Check every stored file; remove (dry_run: only count and list) those nothing refers
    to that are older than `grace_days`. `progress(done, total)` after each batch: total is
    an estimate from the database until the listing ends. `now`: the moment the grace
    period counts back from (tests run the clean-up as if days had passed)."""
    if grace_days < 1:
        raise ValueError("grace_days must be 1 or more")
    store = media_store()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=grace_days)
    report = CleanupReport(dry_run=dry_run, grace_days=grace_days, cutoff=cutoff,
                           store=store.describe())
    total = _expected_total()
    conflict_files = _conflict_files()
    for batch in _batches(store.iter_stats()):
        report.checked += len(batch)
        hashes = [sha for sha, _ in batch]
        used = _referenced(hashes, conflict_files)
        recent_rows = _recorded_recently(hashes, cutoff)
        doomed = []
        for sha, found in batch:
            if sha in used:
                report.kept_referenced += 1
            elif found.modified >= cutoff or sha in recent_rows:
                report.kept_recent += 1
            else:
                doomed.append((sha, found))
        if not dry_run and doomed:
            removed = _remove(store, doomed, cutoff, conflict_files)
            report.kept_recent += len(doomed) - len(removed)
            doomed = removed
        for sha, found in doomed:
            report.removed += 1
            report.removed_bytes += found.size
            if len(report.files) < LISTED:
                report.files.append(RemovedFile(sha, found.size, found.modified))
        db.session.rollback()  # end the read transaction: no snapshot held across batches
        if progress is not None:
            total = max(total, report.checked)
            progress(report.checked, total)
    _partial_uploads(store, report)
    if progress is not None:
        progress(report.checked, report.checked)
    if not dry_run:
        record("media_cleanup", actor=actor, target=store.describe()[:200], details={
            "removed": report.removed, "bytes": report.removed_bytes,
            "grace_days": grace_days, "checked": report.checked})
        db.session.commit()
    log.info("media clean-up%s: %d of %d files (%d bytes) %s", " (dry run)" if dry_run else "",
             report.removed, report.checked, report.removed_bytes,
             "would go" if dry_run else "removed")
    return report


def _partial_uploads(store: MediaStore, report: CleanupReport) -> None:
    """A server killed during an upload leaves its temporary file on a local disk (a bucket
    never holds a partial upload: see s3.py)."""
    if not isinstance(store, LocalStore):
        return
    for path, size, modified in list(store.iter_partial()):
        if modified >= report.cutoff:
            continue
        report.partial_removed += 1
        report.partial_bytes += size
        if not report.dry_run:
            path.unlink(missing_ok=True)
