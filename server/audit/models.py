from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import PortableJSON, UTCDateTime, utcnow
from ..extensions import db


class AuditEvent(db.Model):
    """One recorded action. `actor` keeps the e-mail typed even when no user matched."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254), default="")
    # e.g. sign_in, sign_in_failed, sign_out, export, review, reply, device_enrol,
    # device_revoke, survey_publish, user_create, user_update, conflict_resolve
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict | None] = mapped_column(PortableJSON)
    ip: Mapped[str | None] = mapped_column(String(45))
