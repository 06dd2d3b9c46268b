"""The `rollups_rebuild` job: rollups counted again from the submissions by a worker, with
rows done of total (the submissions, survey version by survey version) as its progress. The
rebuild counts in a read snapshot, so the heartbeat saves that progress as it goes."""

from __future__ import annotations

from typing import Any

from ..jobs.services import Outcome


def run_rollups_rebuild(job: Any, progress: Any) -> Outcome:
    from .rebuild import rebuild

    def told(done: int, total: int) -> None:
        if progress.expected is None:
            progress.total(total)  # written now; later rows only by the heartbeat
        progress.rows(done)

    counted = rebuild(told)
    return Outcome(rows=counted, result={"submissions": counted})


def rebuild_finished(job: Any) -> None:
    """Done: no longer shared, so the next ask counts again (the finished one stays listed
    among the recent counts until it expires like every job)."""
    from ..extensions import db

    if job is None:
        return
    job.share_key = None
    db.session.commit()


def request_rebuild(user: Any = None):
    """The rebuild job running or queued, else a new one (two asks share one job)."""
    from ..jobs.services import request_job, start

    job, created = request_job("rollups_rebuild", {}, user=user)
    if created:
        start(job)
    return job, created
