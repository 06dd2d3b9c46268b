"""How a background job reads to the person waiting for it: one line of text in their
language and the numbers a progress bar needs, the same in the page and in the JSON the
page polls (server/static/jobs.js)."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..jobs.models import Job
from ..jobs.progress import clock, job_progress

FAILURES = {
    "worker_lost": _l("the job's worker stopped several times; try again"),
    "export_invalid": _l("the survey or a filter of this export no longer exists"),
    "unknown_kind": _l("this server does not know this kind of job"),
    "internal": _l("an unexpected error; try again"),
}


def status_text(job: Job) -> str:
    progress = job_progress(job)
    if job.status == "queued":
        return _("Waiting for a worker to start it")
    if job.status == "failed":
        reason = FAILURES.get(job.error_code or "", FAILURES["internal"])
        return _("Failed: %(reason)s", reason=str(reason))
    if job.status == "done":
        return ngettext("Ready: %(rows)s row", "Ready: %(rows)s rows", progress.done,
                        rows=format_decimal(progress.done))
    if progress.total is None:
        return _("Started %(elapsed)s ago", elapsed=clock(progress.elapsed))
    numbers = {"done": format_decimal(progress.done), "total": format_decimal(progress.total),
               "elapsed": clock(progress.elapsed)}
    if progress.left is None:
        return ngettext("%(done)s of %(total)s row · %(elapsed)s elapsed",
                        "%(done)s of %(total)s rows · %(elapsed)s elapsed", progress.total,
                        **numbers)
    return ngettext("%(done)s of %(total)s row · %(elapsed)s elapsed · about %(left)s left",
                    "%(done)s of %(total)s rows · %(elapsed)s elapsed · about %(left)s left",
                    progress.total, left=clock(progress.left), **numbers)


def status_json(job: Job, download_url: str | None = None) -> dict[str, Any]:
    progress = job_progress(job)
    return {
        "id": job.id, "kind": job.kind, "status": job.status,
        "done": progress.done, "total": progress.total, "percent": progress.percent,
        "elapsed_seconds": progress.elapsed, "left_seconds": progress.left,
        "text": status_text(job),
        "download_url": download_url if job.status == "done" and job.file_path else None,
    }
