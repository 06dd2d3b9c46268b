from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db
from ..places.models import Place

project_districts = Table(
    "project_districts",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("ubigeo", ForeignKey("places.ubigeo"), primary_key=True),
)


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(PortableJSON)
    department_ubigeo: Mapped[str | None] = mapped_column(ForeignKey("places.ubigeo"))
    period: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes: Mapped[list[Theme]] = relationship(
        back_populates="plan", order_by="Theme.position", cascade="all, delete-orphan"
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="plan", order_by="Project.code", cascade="all, delete-orphan"
    )


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[dict[str, str]] = mapped_column(PortableJSON)
    description: Mapped[dict[str, str] | None] = mapped_column(PortableJSON)

    plan: Mapped[Plan] = relationship(back_populates="themes")


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("progress_pct >= 0 AND progress_pct <= 100", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_es: Mapped[str] = mapped_column(Text)
    name_qu: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(Text, default="")
    progress_pct: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="projects")
    theme: Mapped[Theme] = relationship()
    districts: Mapped[list[Place]] = relationship(secondary=project_districts)
