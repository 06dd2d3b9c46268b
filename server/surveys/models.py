from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
    event,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db


class PublishedVersionImmutable(RuntimeError):
    """A published survey version was about to be changed."""


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(PortableJSON)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    for_promoters: Mapped[bool] = mapped_column(Boolean, default=True)
    # Residents reach the survey through a public link carrying this token (None: no link).
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A closed link opens no new forms but still delivers feedback filled while it was open.
    public_link_open: Mapped[bool] = mapped_column(Boolean, default=True,
                                                   server_default=true())
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", cascade="all, delete-orphan"
    )


# Promoter surveys with no row here go to every paired device; once a survey is assigned
# to some devices, only those receive it (docs/decisions.md).
survey_devices = Table(
    "survey_devices",
    db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("device_id", ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
)


class SurveyVersion(db.Model):
    __tablename__ = "survey_versions"
    __table_args__ = (
        UniqueConstraint("survey_id", "number"),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="draft")
    definition: Mapped[dict] = mapped_column(PortableJSON)
    # sha256 of the canonical definition: the ETag clients revalidate with.
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship(back_populates="versions")


@event.listens_for(SurveyVersion, "before_update")
def _refuse_changes_to_published(mapper, connection, target: SurveyVersion) -> None:
    state = db.inspect(target)
    was_published = state.attrs.status.history.deleted == ["published"] or (
        target.status == "published" and not state.attrs.status.history.has_changes()
    )
    changed = any(
        state.attrs[name].history.has_changes() for name in ("definition", "digest", "number")
    )
    if was_published and changed:
        raise PublishedVersionImmutable(
            f"survey version {target.survey_id}/{target.number} is published and immutable"
        )
