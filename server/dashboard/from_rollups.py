"""The dashboard's figures read from the rollup tables (server/rollups) instead of the
submissions: the same Dashboard, ProjectFigures and counts as the raw queries give, for
every filter `rollups.queries.covers` accepts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, time

from sqlalchemy import tuple_

from ..peru import PERU_OFFSET
from ..rollups.models import NONE, SubmissionRatingRollup, SubmissionRollup
from ..rollups.queries import counted, grouped
from ..submissions.filters import SubmissionFilter
from .ratings import RatingCounts, RatingQuestion

R, RR = SubmissionRollup, SubmissionRatingRollup


def _utc_hour_of(day) -> datetime:
    """The UTC hour a Peru calendar day starts in (timeline.peru_day turns it back)."""
    return datetime.combine(day, time()) - PERU_OFFSET


def fill(data, flt: SubmissionFilter, project_themes: Callable[[], dict[str, str]],
         questions: Callable[[SubmissionFilter], list[RatingQuestion]]) -> None:
    data.by_status = dict(grouped(R, flt, R.status))
    data.total = sum(data.by_status.values())
    if not data.total:
        return
    data.by_hour = {_utc_hour_of(day): n for day, n in grouped(R, flt, R.day, days_only=True)}
    data.by_district = dict(grouped(R, flt, R.district_ubigeo))
    themes, projects = Counter(), Counter()
    theme_of = project_themes()
    for theme, project, n in grouped(R, flt, R.theme_code, R.project_code):
        projects[project or NONE] += n
        themes[theme or theme_of.get(project, NONE)] += n
    data.by_theme, data.by_project = dict(themes), dict(projects)
    for question, counts in rating_counts(questions(flt), flt):
        if counts.total:
            data.ratings.append((question, counts))


def _question_filter(questions: list[RatingQuestion]):
    return tuple_(RR.survey_id, RR.question_id).in_(
        [(q.survey_id, q.question_id) for q in questions])


def rating_counts(questions: list[RatingQuestion], flt: SubmissionFilter
                  ) -> list[tuple[RatingQuestion, RatingCounts]]:
    if not questions:
        return []
    found: dict[tuple[int, str], RatingCounts] = {}
    for survey_id, question_id, value, n in grouped(
            RR, flt, RR.survey_id, RR.question_id, RR.value, where=[_question_filter(questions)]):
        found.setdefault((survey_id, question_id), RatingCounts()).counts[value] += n
    return [(q, found.get((q.survey_id, q.question_id), RatingCounts())) for q in questions]


def project_figures(figures: dict, codes: list[str], flt: SubmissionFilter,
                    questions: list[RatingQuestion]) -> None:
    """Fills `figures` (code -> dashboard.projects.ProjectFigures) for these codes."""
    in_codes = [R.project_code.in_(codes)]
    for code, status, n in grouped(R, flt, R.project_code, R.status, where=in_codes):
        figures[code].by_status[status] = n
        figures[code].count += n
    for code, district, _n in grouped(R, flt, R.project_code, R.district_ubigeo,
                                      where=in_codes):
        figures[code].districts.add(district)
    if not questions:
        return
    for code, value, n in grouped(RR, flt, RR.project_code, RR.value,
                                  where=[RR.project_code.in_(codes), _question_filter(questions)]):
        figures[code].ratings.counts[value] += n


def feedback_count(flt: SubmissionFilter, project_codes) -> int:
    return counted(R, flt, R.project_code.in_(project_codes))
