"""Choices for the dashboard's filter form: surveys, themes, projects and places (only
within the user's area limits)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..places.region import picker_places
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
    """The region's places (or the user's areas), districts included: the picker is
    searchable, so a long list stays usable."""
    return [Option(p.ubigeo, p.name, p.level) for p in picker_places(areas, parents=False)]
