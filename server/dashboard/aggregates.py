"""The dashboard's figures: a handful of GROUP BY queries over the rollups (from_rollups.py)
or, for filters the rollups cannot answer (text search, version, language, device), over
the filtered submissions.

Each query reads only indexed, narrow columns (district, project, theme, status, the
received hour); labels (place, theme and project names) are looked up afterwards for the
few codes that occur. The result holds codes and counts only, never a submission's content,
so it is safe for every role that may open the dashboard.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..db_types import utcnow
from ..extensions import db
from ..plans.models import Project, Theme
from ..rollups.queries import covers
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from . import from_rollups
from .ratings import RatingCounts, RatingQuestion, rating_counts, rating_questions
from .sql import parse_utc_hour, utc_hour

NONE = ""  # the key of submissions without a theme or project


@dataclass
class Dashboard:
    total: int = 0
    by_hour: dict[datetime, int] = field(default_factory=dict)  # UTC hour -> count
    by_district: dict[str, int] = field(default_factory=dict)
    by_theme: dict[str, int] = field(default_factory=dict)
    by_project: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    ratings: list[tuple[RatingQuestion, RatingCounts]] = field(default_factory=list)
    computed_at: datetime = field(default_factory=utcnow)


def _grouped(flt: SubmissionFilter, *columns) -> list[tuple]:
    stmt = flt.apply(select(*columns, func.count()).group_by(*columns))
    return [tuple(row) for row in db.session.execute(stmt)]


def compute(flt: SubmissionFilter) -> Dashboard:
    data = Dashboard()
    if covers(flt):  # read from the rollups; the rest counts raw submissions
        from_rollups.fill(data, flt, _project_themes, rating_questions)
        return data
    data.by_status = {status: n for status, n in _grouped(flt, Submission.status)}
    data.total = sum(data.by_status.values())
    if not data.total:
        return data
    hour = utc_hour(Submission.received_at)
    data.by_hour = {parse_utc_hour(h): n for h, n in _grouped(flt, hour)}
    data.by_district = dict(_grouped(flt, Submission.district_ubigeo))
    themes, projects = Counter(), Counter()
    project_themes = _project_themes()
    for theme, project, n in _grouped(flt, Submission.theme_code, Submission.project_code):
        projects[project or NONE] += n
        themes[theme or project_themes.get(project or "", NONE)] += n
    data.by_theme, data.by_project = dict(themes), dict(projects)
    for question in rating_questions(flt):
        counts = rating_counts(question, flt)
        if counts.total:
            data.ratings.append((question, counts))
    return data


def _project_themes() -> dict[str, str]:
    """Project code -> its theme code (a submission about a project counts for its theme)."""
    stmt = select(Project.code, Theme.code).join(Theme, Project.theme_id == Theme.id)
    return {project: theme for project, theme in db.session.execute(stmt)}
