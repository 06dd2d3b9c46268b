from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
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
    # The uploaded XLSForm as it came (downloadable from the console) and the XForm XML
    # that pyxform made of it, kept for the ODK interoperability that follows.
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    xform: Mapped[str | None] = mapped_column(Text, deferred=True)

    survey: Mapped[Survey] = relationship(back_populates="versions")
    files: Mapped[list[SurveyFile]] = relationship(
        back_populates="version", order_by="SurveyFile.name", cascade="all, delete-orphan")


class SurveyFile(db.Model):
    """A file that belongs to one survey version: a CSV/GeoJSON list for select_*_from_file,
    or an image, audio or video shown with a label. The bytes live in the media store by
    sha256; the definition's `files` lists the same names and hashes."""

    __tablename__ = "survey_files"
    __table_args__ = (UniqueConstraint("version_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[SurveyVersion] = relationship(back_populates="files")


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
