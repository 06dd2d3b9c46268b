from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

ROLES = ("admin", "coordinator", "viewer")


# A user with rows here sees only submissions from these departments/provinces (ubigeo).
user_areas = Table(
    "user_areas",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("ubigeo", ForeignKey("places.ubigeo"), primary_key=True),
)


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'coordinator', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12), default="viewer")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Flask-Login's user protocol
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        """The session's user key: the id and a fingerprint of the password hash, so a new
        password ends every session opened with the old one."""
        return f"{self.id}.{self.password_fingerprint}"

    @property
    def password_fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
