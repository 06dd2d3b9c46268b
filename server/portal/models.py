"""What coordinators decide for the public: which surveys' results are public, which free-text
answers may be quoted, and their dated public updates on projects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db


class PublicSurvey(db.Model):
    """A survey whose results count in the portal (no row: private, the default)."""

    __tablename__ = "portal_public_surveys"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    made_public_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_public_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublishableText(db.Model):
    """A free-text answer a coordinator marked publishable (quoted without contact or place)."""

    __tablename__ = "portal_publishable_texts"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublicUpdate(db.Model):
    """A coordinators' dated post on a project: what we heard, what was done (es and qu)."""

    __tablename__ = "portal_updates"
    __table_args__ = (Index("ix_portal_updates_project_date", "project_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    on_date: Mapped[date] = mapped_column(Date)
    title_es: Mapped[str] = mapped_column(Text)
    title_qu: Mapped[str] = mapped_column(Text, default="")
    body_es: Mapped[str] = mapped_column(Text)
    body_qu: Mapped[str] = mapped_column(Text, default="")
    photo_sha256: Mapped[str | None] = mapped_column(String(64))
    photo_type: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UpdateAnswer(db.Model):
    """The public update that answers a resident's feedback: their receipt links to it."""

    __tablename__ = "portal_update_answers"

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    update_id: Mapped[int] = mapped_column(
        ForeignKey("portal_updates.id", ondelete="CASCADE"), index=True)


class PortalPublication(db.Model):
    """A department's solved publication (server/portal/store.py): every public figure, shown
    or hidden, as JSON, and the fingerprint of the counts it was solved from. Pages read it;
    they never solve."""

    __tablename__ = "portal_publications"

    department_ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    k: Mapped[int]
    solver: Mapped[int]  # the rule's version (solution.py SOLVER): another one solves again
    figures: Mapped[str] = mapped_column(Text)
    solved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
