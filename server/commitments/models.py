from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

ACTOR_TYPES = (
    "regional_government", "provincial_municipality", "district_municipality", "ministry",
    "mining_company", "other_company", "civil_society", "community_organisation",
    "cooperation_agency", "academia",
)
COMMITMENT_STATUSES = ("pending", "in_progress", "fulfilled", "late", "dropped")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Actor(db.Model):
    """A development actor: a government, a company, civil society, a cooperation agency…"""

    __tablename__ = "actors"
    __table_args__ = (CheckConstraint(_in("type", ACTOR_TYPES), name="actor_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    name_es: Mapped[str] = mapped_column(Text)
    name_qu: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_qu: Mapped[str] = mapped_column(Text, default="")
    # where it works (a department, province or district), if it is local
    place_ubigeo: Mapped[str | None] = mapped_column(ForeignKey("places.ubigeo"))
    website: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitments: Mapped[list[Commitment]] = relationship(back_populates="actor")


class Commitment(db.Model):
    """What an actor committed to do on a project, by when, with how much money."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint(_in("status", COMMITMENT_STATUSES), name="commitment_status"),
        CheckConstraint("amount_pen IS NULL OR amount_pen >= 0", name="amount_not_negative"),
        Index("ix_commitments_actor", "actor_id"),
        Index("ix_commitments_project", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"))
    what_es: Mapped[str] = mapped_column(Text)
    what_qu: Mapped[str] = mapped_column(Text, default="")
    amount_pen: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    # the day it was fulfilled: "fulfilled on time" compares it with due_date
    fulfilled_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    actor: Mapped[Actor] = relationship(back_populates="commitments")
    updates: Mapped[list[CommitmentUpdate]] = relationship(
        back_populates="commitment", order_by="CommitmentUpdate.on_date.desc()",
        cascade="all, delete-orphan")


class CommitmentUpdate(db.Model):
    """A dated progress report on a commitment, with optional evidence (a file or a link)."""

    __tablename__ = "commitment_updates"
    # the media clean-up asks which stored files are still evidence (commitments/evidence.py)
    __table_args__ = (Index("ix_commitment_updates_evidence", "evidence_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    text_es: Mapped[str] = mapped_column(Text)
    text_qu: Mapped[str] = mapped_column(Text, default="")
    # evidence: a file in the media store (by sha256) and/or a link
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_type: Mapped[str | None] = mapped_column(String(100))
    evidence_url: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")


class ProgressReport(db.Model):
    """One officially reported progress figure of a project, with its date and source: the
    history behind Project.progress_pct (which keeps the latest)."""

    __tablename__ = "project_progress_reports"
    __table_args__ = (
        CheckConstraint("progress_pct >= 0 AND progress_pct <= 100", name="report_range"),
        Index("ix_progress_reports_project_date", "project_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    on_date: Mapped[date] = mapped_column(Date)
    progress_pct: Mapped[int]
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
