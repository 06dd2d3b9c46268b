from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

LEVELS = ("department", "province", "district")


class Place(db.Model):
    __tablename__ = "places"
    __table_args__ = (
        CheckConstraint("level IN ('department', 'province', 'district')", name="level"),
        Index("ix_places_parent_name", "parent_ubigeo", "name"),
    )

    ubigeo: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    parent_ubigeo: Mapped[str | None] = mapped_column(ForeignKey("places.ubigeo"))
    department_ubigeo: Mapped[str] = mapped_column(String(6), index=True)
    capital: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    def __repr__(self) -> str:
        return f"<Place {self.ubigeo} {self.name}>"
