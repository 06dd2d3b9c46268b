"""The life of a job: asked for (or shared), claimed by a worker under a lease, finished
or failed, re-queued when its worker died, and its file deleted when it expires.

Updates from a running job go through their own short transactions on the engine, never
through the session: an export reads its rows in one long transaction (a server-side
cursor on PostgreSQL) that a commit would end."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..db_types import utcnow
from ..extensions import db
from .models import Job, JobRequester
from .queue import job_queue
from .tasks import enqueue

log = logging.getLogger(__name__)
LIVE = ("queued", "running")
# a queued job not taken for this many leases is enqueued again (its message was lost)
QUEUED_PATIENCE = 10


@dataclass
class Outcome:
    """What a finished job leaves: a file for download, or a result to show."""

    rows: int = 0
    file_path: str | None = None
    file_name: str | None = None
    mimetype: str | None = None
    result: dict[str, Any] | None = field(default=None)


class JobError(Exception):
    """A job that cannot succeed however often it runs; `code` is shown translated."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def settings() -> dict[str, Any]:
    return current_app.config["WILLAY"]


def share_key(kind: str, params: dict[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, **params}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def worker_name() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{threading.get_ident() % 100000}"


def request_job(kind: str, params: dict[str, Any], user: Any = None,
                shared: bool = True) -> tuple[Job, bool]:
    """The live job doing this work (queued, running, or done with its file still kept),
    or a new one, queued. Returns (job, created). The caller commits what it added to the
    session with the job (the new one is committed already, and enqueued after that)."""
    key = share_key(kind, params)
    if shared:
        existing = _live(key)
        if existing is not None:
            _add_requester(existing, user)
            return existing, False
    lease = settings()["JOBS_LEASE_SECONDS"]
    job = Job(kind=kind, params=params, params_hash=key, share_key=key if shared else None,
              requested_by=getattr(user, "id", None), status="queued",
              lease_until=utcnow() + timedelta(seconds=lease * QUEUED_PATIENCE))
    db.session.add(job)
    try:
        db.session.flush()
    except IntegrityError:  # someone asked for the same a moment ago: share theirs
        db.session.rollback()
        existing = _live(key)
        if existing is None:
            raise
        _add_requester(existing, user)
        return existing, False
    _add_requester(job, user)
    db.session.commit()
    return job, True


def start(job: Job) -> None:
    """Hand a committed job to the queue (immediate mode runs it now). A queue that cannot
    be reached (Redis restarting) does not fail the request: the job is in the table, and
    the workers' housekeeping enqueues a queued job nobody took (QUEUED_PATIENCE)."""
    try:
        enqueue(job_queue(), job.id)
    except Exception:  # noqa: BLE001 - e.g. redis.ConnectionError; recovered from the table
        log.exception("job %s: could not reach the queue; it waits for the next sweep",
                      job.id)


def _live(key: str) -> Job | None:
    job = db.session.scalar(select(Job).where(Job.share_key == key))
    if job is None:
        return None
    if job.status in LIVE:
        return job
    if job.status == "done" and job.expires_at and job.expires_at > utcnow() and (
            job.file_path is None or Path(job.file_path).is_file()):
        return job
    # failed, expired or its file gone: no longer shared
    job.share_key = None
    db.session.commit()
    return None


def _add_requester(job: Job, user: Any) -> JobRequester | None:
    if user is None or getattr(user, "id", None) is None:
        return None
    requester = db.session.get(JobRequester, (job.id, user.id))
    if requester is None:
        requester = JobRequester(job_id=job.id, user_id=user.id)
        db.session.add(requester)
    else:
        requester.requested_at = utcnow()  # asked again: first in the recent list
    return requester


def claim(job_id: int, worker: str) -> bool:
    """Take a queued job, or a running one whose lease ran out (its worker died), if it
    has attempts left. One worker wins even when several try at once."""
    now = utcnow()
    config = settings()
    with db.engine.begin() as conn:
        taken = conn.execute(update(Job).where(
            Job.id == job_id, Job.attempts < config["JOBS_MAX_ATTEMPTS"],
            or_(Job.status == "queued", and_(Job.status == "running", Job.lease_until < now)),
        ).values(status="running", attempts=Job.attempts + 1, worker=worker,
                 started_at=now, rows_done=0, lease_until=now + timedelta(
                     seconds=config["JOBS_LEASE_SECONDS"]), error_code=None))
        return taken.rowcount == 1


def heartbeat(job_id: int, worker: str, rows_done: int, rows_total: int | None) -> bool:
    """Renew the lease and save progress; False when the job is no longer this worker's."""
    values: dict[str, Any] = {"rows_done": rows_done, "lease_until": utcnow() + timedelta(
        seconds=settings()["JOBS_LEASE_SECONDS"])}
    if rows_total is not None:
        values["rows_total"] = rows_total
    with db.engine.begin() as conn:
        return conn.execute(update(Job).where(
            Job.id == job_id, Job.worker == worker, Job.status == "running",
        ).values(**values)).rowcount == 1


def finish(job_id: int, worker: str, outcome: Outcome) -> bool:
    now = utcnow()
    size = os.path.getsize(outcome.file_path) if outcome.file_path else None
    with db.engine.begin() as conn:
        done = conn.execute(update(Job).where(
            Job.id == job_id, Job.worker == worker, Job.status == "running",
        ).values(status="done", finished_at=now, rows_done=outcome.rows, lease_until=None,
                 file_path=outcome.file_path, file_name=outcome.file_name, file_size=size,
                 mimetype=outcome.mimetype, result=outcome.result,
                 expires_at=now + timedelta(days=settings()["EXPORT_KEEP_DAYS"]))).rowcount
    if not done and outcome.file_path:  # another worker took it over: its file wins
        Path(outcome.file_path).unlink(missing_ok=True)
    return bool(done)


def fail(job_id: int, worker: str | None, code: str) -> None:
    conditions = [Job.id == job_id]
    if worker is not None:
        conditions += [Job.worker == worker, Job.status == "running"]
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(*conditions).values(
            status="failed", finished_at=utcnow(), lease_until=None, error_code=code[:40],
            share_key=None))


def release(job_id: int) -> None:
    """A worker stopping mid-job hands it back: queued, and enqueued by the next sweep."""
    now = utcnow()
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(
            status="queued", worker=None, lease_until=now))


def requeue_stale() -> list[int]:
    """Jobs whose worker died (lease run out) go back to the queue, or fail once they used
    all their attempts; queued jobs nobody took for long are enqueued again. Returns the
    ids enqueued. Harmless to run anywhere, any number of times: claiming is atomic."""
    now = utcnow()
    config = settings()
    stale = db.session.execute(select(Job.id, Job.status, Job.attempts).where(
        Job.status.in_(LIVE), Job.lease_until < now)).all()
    db.session.rollback()
    again: list[int] = []
    for job_id, status, attempts in stale:
        if attempts >= config["JOBS_MAX_ATTEMPTS"]:
            log.warning("job %s failed: its worker was lost %s times", job_id, attempts)
            fail(job_id, None, "worker_lost")
            continue
        with db.engine.begin() as conn:
            moved = conn.execute(update(Job).where(
                Job.id == job_id, Job.status == status, Job.lease_until < now,
            ).values(status="queued", worker=None, lease_until=now + timedelta(
                seconds=config["JOBS_LEASE_SECONDS"] * QUEUED_PATIENCE))).rowcount
        if moved:
            if status == "running":
                log.warning("job %s lost its worker; queued again", job_id)
            again.append(job_id)
    queue = job_queue()
    for job_id in again:
        enqueue(queue, job_id)
    return again


def purge_expired() -> int:
    """Delete the files of jobs past their keeping time, and those jobs. Returns how many."""
    now = utcnow()
    expired = list(db.session.scalars(select(Job).where(Job.expires_at < now)))
    for job in expired:
        if job.file_path:
            Path(job.file_path).unlink(missing_ok=True)
        db.session.delete(job)
    # finished jobs without a file (failed, or with a result only) go after the same time
    keep = timedelta(days=settings()["EXPORT_KEEP_DAYS"])
    old = list(db.session.scalars(select(Job).where(
        Job.status == "failed", Job.finished_at < now - keep)))
    for job in old:
        db.session.delete(job)
    db.session.commit()
    if expired or old:
        log.info("deleted %s expired jobs", len(expired) + len(old))
    _sweep_leftovers(now - keep)
    return len(expired) + len(old)


def _sweep_leftovers(before: Any) -> None:
    """Export files no job leads to (a worker killed mid-write leaves its `.part`) may hold
    personal data too: gone once older than the keeping time, like every export."""
    folder = Path(settings()["EXPORT_DIR"])
    if not folder.is_dir():
        return
    kept = set(db.session.scalars(select(Job.file_path).where(Job.file_path.is_not(None))))
    db.session.rollback()
    for path in folder.glob("job-*"):
        try:
            stale = path.is_file() and path.stat().st_mtime < before.timestamp()
        except OSError:
            continue
        if stale and str(path) not in kept:
            path.unlink(missing_ok=True)
            log.info("deleted the leftover export file %s", path.name)
