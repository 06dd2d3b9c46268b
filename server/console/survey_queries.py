"""Read-only lookups for the console's survey pages (counts, devices, public URLs)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from ..devices.models import Device
from ..extensions import db
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from ..surveys.models import Survey, SurveyVersion


@dataclass
class SurveyRow:
    survey: Survey
    latest: SurveyVersion | None
    published: SurveyVersion | None
    submissions: int

    @property
    def link_state(self) -> str:
        if not self.survey.public_token:
            return "none"
        return "open" if self.survey.public_link_open else "closed"


def survey_rows(areas: tuple[str, ...] = ()) -> list[SurveyRow]:
    """Every survey with its newest version, newest published version and submission count
    within the user's areas (three queries, whatever the number of surveys)."""
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.code)))
    counts = dict(db.session.execute(SubmissionFilter(areas=areas).apply(
        select(Submission.survey_id, func.count()).group_by(Submission.survey_id))).all())
    versions: dict[int, list[SurveyVersion]] = {}
    for version in db.session.scalars(select(SurveyVersion).options(
            defer(SurveyVersion.definition)).order_by(SurveyVersion.number)):
        versions.setdefault(version.survey_id, []).append(version)
    rows = []
    for survey in surveys:
        mine = versions.get(survey.id, [])
        published = [v for v in mine if v.status == "published"]
        rows.append(SurveyRow(survey, mine[-1] if mine else None,
                              published[-1] if published else None, counts.get(survey.id, 0)))
    return rows


def submission_counts_by_version(survey: Survey,
                                 areas: tuple[str, ...] = ()) -> dict[int, int]:
    return dict(db.session.execute(SubmissionFilter(areas=areas).apply(
        select(Submission.version_id, func.count()).where(Submission.survey_id == survey.id)
        .group_by(Submission.version_id))).all())


def assignable_devices() -> list[Device]:
    """Devices that can still receive surveys (not revoked)."""
    return list(db.session.scalars(
        select(Device).where(Device.revoked_at.is_(None)).order_by(Device.label, Device.id)))


def public_url(token: str) -> str:
    base = current_app.config["WILLAY"]["PUBLIC_URL"].rstrip("/")
    return f"{base}/app/#/f/{token}"
