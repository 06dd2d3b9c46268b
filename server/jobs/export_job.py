"""Exports as background jobs: the console asks, a worker writes the file into the export
folder through the same pipeline `willay export` streams from, the coordinator downloads
it while it is kept.

Audit: every request is an `export` event (as before), completed with the rows written
when the file is ready; every download is an `export_download` event."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..audit.models import AuditEvent
from ..audit.services import record
from ..exports.options import FORMATS, ExportOptions
from ..exports.pipeline import Pipeline
from ..exports.services import (
    ExportError,
    allowed_options,
    audit_details,
    export_layout,
    filename_for,
    zipped,
)
from ..extensions import db
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from .models import Job, JobRequester
from .services import JobError, Outcome, request_job, settings, start


def export_params(options: ExportOptions) -> dict[str, Any]:
    """All that decides an export's content (two equal ones share one file)."""
    return {"filter": options.filter.as_args(), "areas": list(options.filter.areas),
            "format": options.format, "labels": options.labels,
            "personal": options.personal, "media": options.media}


def options_from(params: dict[str, Any]) -> ExportOptions:
    flt = SubmissionFilter.from_args(params.get("filter") or {},
                                     areas=tuple(params.get("areas") or ()))
    return ExportOptions(flt, params["format"], params["labels"], bool(params["personal"]),
                         bool(params["media"]))


def request_export(options: ExportOptions, *, user: Any, personal_allowed: bool,
                   renew: bool = False) -> Job:
    """Check the export (ExportError if it cannot run), record who asked, and share the
    live job for the same export or queue a new one. `renew`: a fresh file even when one
    is kept."""
    options = allowed_options(options, personal_allowed)
    layout = export_layout(options)
    params = export_params(options)
    if renew:
        from .services import share_key

        kept = db.session.scalar(select(Job).where(
            Job.share_key == share_key("export", params), Job.status == "done"))
        if kept is not None:
            kept.share_key = None  # still downloadable; no longer handed to new requests
            db.session.commit()
    job, created = request_job("export", params, user=user)
    details = {**audit_details(options, layout), "job": job.id}
    if job.status == "done":
        details.update(_done_details(job))
    event = record("export", user=user, target=options.filter.survey or "", details=details)
    db.session.flush()
    requester = db.session.get(JobRequester, (job.id, user.id))
    requester.audit_event_id = event.id
    db.session.commit()
    if created:
        start(job)
        db.session.refresh(job)
    return job


def _done_details(job: Job) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": job.rows_done, "completed": True}
    repeats = (job.result or {}).get("repeat_rows")
    if repeats is not None:
        out["repeat_rows"] = repeats
    return out


def run_export(job: Job, progress: Any) -> Outcome:
    try:
        options = options_from(job.params)
        layout = export_layout(options)
    except (ExportError, KeyError, ValueError) as err:
        raise JobError("export_invalid", str(err)) from err
    total = db.session.scalar(options.filter.apply(
        select(func.count()).select_from(Submission)))
    progress.total(int(total or 0))
    folder = Path(settings()["EXPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    packed = zipped(options, layout)
    name = filename_for(options, layout=layout)
    mimetype = "application/zip" if packed else FORMATS[options.format][1]
    # a name nobody can guess, even with a listing of the job ids
    final = folder / f"job-{job.id}-{secrets.token_hex(8)}{Path(name).suffix}"
    partial = final.with_name(final.name + ".part")
    pipeline = Pipeline(options, layout, packed, progress=progress.rows)
    try:
        with open(partial, "wb") as out:
            for chunk in pipeline.chunks():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        pipeline.close()
        db.session.rollback()
    os.replace(partial, final)
    result = {"repeat_rows": pipeline.repeat_counts()} if pipeline.repeats else None
    return Outcome(rows=pipeline.count, file_path=str(final), file_name=name,
                   mimetype=mimetype, result=result)


def export_finished(job: Job) -> None:
    """Complete the audit events of everyone who asked, with the rows written."""
    ids = list(db.session.scalars(select(JobRequester.audit_event_id).where(
        JobRequester.job_id == job.id, JobRequester.audit_event_id.is_not(None))))
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(ids))):
        event.details = {**(event.details or {}), **_done_details(job)}
    db.session.commit()


def record_download(job: Job, user: Any) -> None:
    record("export_download", user=user, target=(job.params.get("filter") or {}).get(
        "survey", ""), details={"job": job.id, "file": job.file_name, "rows": job.rows_done,
                                "personal": bool(job.params.get("personal"))})
    db.session.commit()
