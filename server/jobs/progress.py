"""What a person waiting for a job is shown: rows done of total, time elapsed and an
estimate of the time left, read from the `jobs` table (so every app server and a reloaded
page agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..db_types import utcnow
from .models import Job


@dataclass(frozen=True)
class JobProgress:
    status: str
    done: int
    total: int | None
    elapsed: float | None  # seconds since a worker started it (to the end once finished)
    left: float | None  # estimated seconds to go; None while there is nothing to go on

    @property
    def percent(self) -> int | None:
        if self.status == "done":
            return 100
        if not self.total:
            return None
        return max(0, min(99, int(self.done * 100 / self.total)))


def job_progress(job: Job, now: datetime | None = None) -> JobProgress:
    now = now or utcnow()
    started = job.started_at
    elapsed = None
    if started is not None:
        end = job.finished_at if job.status in ("done", "failed") and job.finished_at else now
        elapsed = max(0.0, (end - started).total_seconds())
    left = None
    if job.status == "running" and elapsed and job.rows_done and job.rows_total:
        rate = job.rows_done / elapsed
        left = max(0.0, (job.rows_total - job.rows_done) / rate)
    elif job.status == "done":
        left = 0.0
    return JobProgress(job.status, job.rows_done or 0, job.rows_total, elapsed, left)


def clock(seconds: float | None) -> str:
    """12 s -> "0:12", 3725 s -> "1:02:05" (a duration, the same in every language)."""
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
