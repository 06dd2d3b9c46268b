"""What each kind of job does. A kind's `run(job, progress)` returns an Outcome or raises
JobError; `finished(job)` runs once the job is recorded as done."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..rollups.jobs import rebuild_finished, run_rollups_rebuild
from .export_job import export_finished, run_export
from .services import Outcome


@dataclass(frozen=True)
class Kind:
    run: Callable[[Any, Any], Outcome]
    finished: Callable[[Any], None] | None = None


def run_media_cleanup(job: Any, progress: Any) -> Outcome:
    """Media no submission refers to, removed after the grace period (or only listed, in
    a dry run). The report is the job's result."""
    from dataclasses import asdict

    from ..attachments.cleanup import run_cleanup  # written beside this work (issue 11)

    params = job.params or {}

    def told(done: int, total: int) -> None:
        if progress.expected != total:
            progress.total(total)
        progress.rows(done)

    report = run_cleanup(dry_run=bool(params.get("dry_run", True)),
                         grace_days=int(params.get("grace_days", 7)), progress=told,
                         actor=str(params.get("actor") or "console"))
    result = asdict(report)
    result["files"] = result.get("files", [])[:100]
    # the JSON column takes plain values: times as ISO text
    return Outcome(rows=report.checked, result=json.loads(json.dumps(result, default=str)))


def _portal_publish() -> Kind:
    from ..portal.publish_job import publish_finished, run_publish

    return Kind(run_publish, publish_finished)


KINDS: dict[str, Kind] = {
    "export": Kind(run_export, export_finished),
    "media_cleanup": Kind(run_media_cleanup),
    "portal_publish": _portal_publish(),
    "rollups_rebuild": Kind(run_rollups_rebuild, rebuild_finished),
}
