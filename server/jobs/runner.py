"""Running one job: claim it, keep its lease alive from a heartbeat thread (which also
saves the progress), run its kind, record the outcome. A worker killed mid-job stops
renewing the lease; `requeue_stale` then queues the job again."""

from __future__ import annotations

import logging
import threading

from ..extensions import db
from .kinds import KINDS
from .models import Job
from .services import JobError, claim, fail, finish, heartbeat, settings, worker_name

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0  # how often progress reaches the database


class LeaseLost(Exception):
    """Another worker took this job over (this one was thought dead): stop quietly."""


class Progress:
    """Given to a job: `total(n)` once known, `rows(n)` as it goes (cheap: kept in memory;
    the heartbeat thread writes it)."""

    def __init__(self, job_id: int, worker: str, app):
        self.job_id, self.worker, self.app = job_id, worker, app
        self.done = 0
        self.expected: int | None = None
        self.lost = False
        self._stop = threading.Event()
        lease = settings()["JOBS_LEASE_SECONDS"]
        self.every = min(PROGRESS_SECONDS, lease / 3)
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat",
                                        daemon=True)

    def total(self, rows: int) -> None:
        self.expected = rows
        self._save()

    def rows(self, done: int) -> None:
        if self.lost:
            raise LeaseLost(self.job_id)
        self.done = done

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)

    def _save(self) -> None:
        with self.app.app_context():
            if not heartbeat(self.job_id, self.worker, self.done, self.expected):
                self.lost = True

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self._save()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is long
                log.exception("job %s: heartbeat failed", self.job_id)


def run_job(job_id: int) -> None:
    from flask import current_app

    worker = worker_name()
    if not claim(job_id, worker):
        return  # done, failed, or running elsewhere
    job = db.session.get(Job, job_id)
    kind = KINDS.get(job.kind) if job is not None else None
    if kind is None:
        fail(job_id, worker, "unknown_kind")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        with Progress(job_id, worker, app) as progress:
            outcome = kind.run(job, progress)
    except LeaseLost:
        log.warning("job %s was taken over by another worker", job_id)
    except JobError as err:
        db.session.rollback()
        fail(job_id, worker, err.code)
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        fail(job_id, worker, "internal")
    else:
        db.session.rollback()  # end any read transaction the job left open
        if finish(job_id, worker, outcome) and kind.finished is not None:
            kind.finished(db.session.get(Job, job_id))
    finally:
        db.session.remove()
