"""What an export needs besides the submissions: read once per export (small tables) or once
per batch of rows (personal answers, media types), never once per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..attachments.models import Attachment
from ..devices.models import Device
from ..extensions import db
from ..places.models import Place
from ..plans.models import Project, Theme
from ..submissions.models import SubmissionPersonal
from ..surveys.models import Survey, SurveyVersion


@dataclass(frozen=True)
class District:
    name: str
    province: str
    department: str
    latitude: float | None
    longitude: float | None


@dataclass
class Lookups:
    districts: dict[str, District] = field(default_factory=dict)
    survey_codes: dict[int, str] = field(default_factory=dict)
    version_numbers: dict[int, int] = field(default_factory=dict)
    devices: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (label, promoter)
    project_names: dict[str, dict[str, str]] = field(default_factory=dict)
    project_themes: dict[str, str] = field(default_factory=dict)
    theme_names: dict[str, dict[str, str]] = field(default_factory=dict)


def load_lookups() -> Lookups:
    """Places, surveys, devices and plan names: a few thousand rows at most."""
    found = Lookups()
    names = dict(db.session.execute(
        select(Place.ubigeo, Place.name).where(Place.level != "district")).all())
    for code, name, lat, lon in db.session.execute(
            select(Place.ubigeo, Place.name, Place.latitude, Place.longitude)
            .where(Place.level == "district")):
        found.districts[code] = District(name, names.get(code[:4] + "00", ""),
                                         names.get(code[:2] + "0000", ""), lat, lon)
    found.survey_codes = dict(db.session.execute(select(Survey.id, Survey.code)).all())
    found.version_numbers = dict(db.session.execute(
        select(SurveyVersion.id, SurveyVersion.number)).all())
    found.devices = {row.id: (row.label, row.promoter_name) for row in db.session.execute(
        select(Device.id, Device.label, Device.promoter_name))}
    for code, name_es, name_qu, theme in db.session.execute(
            select(Project.code, Project.name_es, Project.name_qu, Theme.code)
            .join(Theme, Project.theme_id == Theme.id)):
        found.project_names[code] = {"es": name_es, "qu": name_qu}
        found.project_themes[code] = theme
    found.theme_names = dict(db.session.execute(select(Theme.code, Theme.name)).all())
    return found


def personal_answers(submission_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not submission_ids:
        return {}
    return dict(db.session.execute(
        select(SubmissionPersonal.submission_id, SubmissionPersonal.answers)
        .where(SubmissionPersonal.submission_id.in_(submission_ids))).all())


def media_types(hashes: set[str]) -> dict[str, str]:
    """Content types of the attachments the server holds, by sha256 (absent: not uploaded)."""
    if not hashes:
        return {}
    return dict(db.session.execute(
        select(Attachment.sha256, Attachment.content_type)
        .where(Attachment.sha256.in_(hashes))).all())
