"""The `portal_publish` job: bring one department's stored publication up to date
(store.py). Its result says whether the counts had changed."""

from __future__ import annotations

from typing import Any

from ..db_types import utcnow
from ..extensions import db
from ..jobs.services import JobError, Outcome


def run_publish(job: Any, progress: Any) -> Outcome:
    from .store import refresh

    department = str((job.params or {}).get("department") or "")
    if not department.isdigit() or len(department) != 6:
        raise JobError("bad_department")
    before = utcnow()
    stored = refresh(department)
    return Outcome(rows=len(stored.solution.shown) + len(stored.solution.hidden), result={
        "department": department, "solved": stored.solved_at >= before,
        "fingerprint": stored.fingerprint})


def publish_finished(job: Any) -> None:
    """Done: no longer shared (the next change asks for a new run) and purged soon."""
    if job is None:
        return
    job.share_key = None
    job.expires_at = utcnow()
    db.session.commit()
