"""Background jobs as the console sees them: what was asked, by whom, how far it got and
where its file is. The queue (huey) only carries a job's id; this table is the truth, so
progress survives a reload and reads the same from every app server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db

STATUSES = ("queued", "running", "done", "failed")


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        Index("ix_jobs_status_lease_until", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # export, dashboard_rebuild, media_cleanup
    params: Mapped[dict] = mapped_column(PortableJSON)
    params_hash: Mapped[str] = mapped_column(String(64), index=True)
    # the hash while the job may still be shared (queued, running, or its file kept); NULL
    # once failed or deleted, so the unique index lets only one live job per request
    share_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a running job's worker renews this while it lives; past it, the job is queued again
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(80))
    file_path: Mapped[str | None] = mapped_column(String(500))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    mimetype: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    error_code: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[dict | None] = mapped_column(PortableJSON)


class JobRequester(db.Model):
    """Everyone who asked for a job (a shared export has several): they, and only they, see
    it in their recent exports and may download its file."""

    __tablename__ = "job_requesters"
    __table_args__ = (Index("ix_job_requesters_user_id_requested_at", "user_id",
                            "requested_at"),)

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"),
                                        primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the audit event of this request, completed with the rows once the job is done
    audit_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_events.id", ondelete="SET NULL"))
