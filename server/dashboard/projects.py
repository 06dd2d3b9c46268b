"""Residents' view of a plan's projects: per project, the feedback tied to it (submissions
whose `project_code` is the project's code), its review states, the ratings given in
those submissions (every rating question counts) and the districts it came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..plans.models import Project
from ..rollups.queries import covers
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from . import from_rollups
from .ratings import RatingCounts, rating_counts_by_project, rating_questions


@dataclass
class ProjectFigures:
    count: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    ratings: RatingCounts = field(default_factory=RatingCounts)
    districts: set[str] = field(default_factory=set)


def project_figures(codes: Iterable[str], flt: SubmissionFilter) -> dict[str, ProjectFigures]:
    codes = sorted(set(codes))
    figures = {code: ProjectFigures() for code in codes}
    if not codes:
        return figures
    if covers(flt):
        from_rollups.project_figures(figures, codes, flt, rating_questions(flt))
        return figures
    by_status = flt.apply(
        select(Submission.project_code, Submission.status, func.count())
        .where(Submission.project_code.in_(codes))
        .group_by(Submission.project_code, Submission.status))
    for code, status, n in db.session.execute(by_status):
        figures[code].by_status[status] = n
        figures[code].count += n
    by_district = flt.apply(
        select(Submission.project_code, Submission.district_ubigeo)
        .where(Submission.project_code.in_(codes)).distinct())
    for code, district in db.session.execute(by_district):
        figures[code].districts.add(district)
    for question in rating_questions(flt):
        for code, counts in rating_counts_by_project(question, flt, codes).items():
            for value, n in counts.counts.items():
                figures[code].ratings.counts[value] += n
    return figures


def plan_feedback_counts(plan_ids: dict[str, int], flt: SubmissionFilter) -> dict[str, int]:
    """Plan code -> the number of submissions about any of its projects."""
    counts = {}
    for code, plan_id in plan_ids.items():
        projects = select(Project.code).where(Project.plan_id == plan_id)
        if covers(flt):
            counts[code] = from_rollups.feedback_count(flt, projects)
            continue
        counts[code] = db.session.scalar(flt.apply(
            select(func.count()).select_from(Submission).where(
                Submission.project_code.in_(projects))))
    return counts
