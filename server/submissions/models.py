from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db

# review states; "answered" and "closed" are for resident feedback (channel "public")
STATUSES = ("new", "verified", "flagged", "spam", "answered", "closed")
CHANNELS = ("device", "public", "sms")


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('new', 'verified', 'flagged', 'spam', 'answered', 'closed')",
            name="status"),
        CheckConstraint("channel IN ('device', 'public', 'sms')", name="channel"),
        Index("ix_submissions_survey_received", "survey_id", "received_at"),
        Index("ix_submissions_district_received", "district_ubigeo", "received_at"),
        # keyset pagination of the console list, newest first
        Index("ix_submissions_received_id", "received_at", "id"),
        Index("ix_submissions_status_received", "status", "received_at"),
        Index("ix_submissions_project_received", "project_code", "received_at"),
        Index("ix_submissions_theme_received", "theme_code", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    channel: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    answers: Mapped[dict] = mapped_column(PortableJSON)
    # sha256 of the canonical content, to tell a replay from a conflicting re-use of a UUID
    content_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    district_ubigeo: Mapped[str] = mapped_column(ForeignKey("places.ubigeo"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    location_accuracy: Mapped[float | None]
    consent: Mapped[bool | None]
    app_version: Mapped[str | None] = mapped_column(String(40))
    # the interview's readable name (the survey's instance_name, e.g. "Quispe — Carumas")
    instance_name: Mapped[str | None] = mapped_column(String(200))
    extra_meta: Mapped[dict | None] = mapped_column(PortableJSON)
    status: Mapped[str] = mapped_column(String(10), default="new")
    receipt_code: Mapped[str] = mapped_column(String(12), unique=True)
    # the coordinators' reply to a resident, per language: {"es": "...", "qu": "..."}
    response: Mapped[dict | None] = mapped_column(PortableJSON)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # filled at ingest: the plan project/theme answered (questions with id "project"/"theme")
    project_code: Mapped[str | None] = mapped_column(String(40))
    theme_code: Mapped[str | None] = mapped_column(String(40))
    # free-text answers, lower-cased and without accents, for the console's text search
    search_text: Mapped[str | None] = mapped_column(Text)

    personal: Mapped[SubmissionPersonal | None] = relationship(
        cascade="all, delete-orphan", uselist=False
    )
    attachment_links: Mapped[list[SubmissionAttachment]] = relationship(
        cascade="all, delete-orphan"
    )


class SubmissionReview(db.Model):
    """One review step: who moved a submission from one state to another, when and why."""

    __tablename__ = "submission_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubmissionPersonal(db.Model):
    """Personal answers (name, phone…) kept apart, for roles allowed to see them."""

    __tablename__ = "submission_personal"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[dict] = mapped_column(PortableJSON)


class SubmissionAttachment(db.Model):
    __tablename__ = "submission_attachments"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class SubmissionConflict(db.Model):
    """A second, different payload under a UUID already stored: kept for review, never applied."""

    __tablename__ = "submission_conflicts"
    __table_args__ = (UniqueConstraint("uuid", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(Uuid, index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(PortableJSON)
    # personal answers of the conflicting payload, kept apart like SubmissionPersonal's
    personal: Mapped[dict | None] = mapped_column(PortableJSON)
    channel: Mapped[str] = mapped_column(String(10))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_note: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
