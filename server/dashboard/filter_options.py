"""Choices for the dashboard's filter form: surveys, themes, projects and places (only
within the user's area limits)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from ..extensions import db
from ..places.models import Place
from ..places.services import ubigeo_prefix
from ..surveys.models import Survey
from . import labels


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    level: str = ""


def survey_options() -> list[Option]:
    stmt = select(Survey.code, Survey.title).where(Survey.archived.is_(False)).order_by(
        Survey.code)
    return [Option(code, labels.in_language(title, code)) for code, title in
            db.session.execute(stmt)]


def theme_options() -> list[Option]:
    return [Option(code, name) for code, name in sorted(labels.theme_names().items(),
                                                        key=lambda item: item[1])]


def project_options() -> list[Option]:
    return [Option(code, f"{code} · {name}") for code, name in
            sorted(labels.project_names().items())]


def place_options(areas: tuple[str, ...], selected: str | None) -> list[Option]:
    """Departments and provinces (everywhere), or the user's areas with their children."""
    stmt = select(Place).order_by(Place.ubigeo)
    if areas:
        stmt = stmt.where(or_(*(
            or_(Place.ubigeo == area, Place.parent_ubigeo == area) for area in areas)))
    else:
        stmt = stmt.where(Place.level.in_(("department", "province")))
    found = list(db.session.scalars(stmt))
    if selected and selected not in {p.ubigeo for p in found}:
        place = db.session.get(Place, selected)
        if place is not None and (not areas or any(
                selected.startswith(ubigeo_prefix(a)) for a in areas)):
            found.append(place)
    found.sort(key=lambda p: p.ubigeo)
    return [Option(p.ubigeo, p.name, p.level) for p in found]
