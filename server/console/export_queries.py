"""Reads for the export page: the survey picker (surveys with submissions first, with
their counts in the user's areas) and the user's recent exports."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from flask_babel import format_decimal
from sqlalchemy import func, select

from ..extensions import db
from ..jobs.models import Job, JobRequester
from ..review.display import localized
from ..review.filter_options import Option
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from ..surveys.models import Survey

RECENT = 10
# the picker's counts may be this old: counting a million submissions per survey (in the
# user's areas) takes 0.2-1.5 s here, too long for every load of the page
COUNTS_SECONDS = 60


def survey_choices(lang: str, areas: tuple[str, ...]) -> list[Option]:
    """Every survey, those with submissions (in the user's areas) first, most first."""
    counts = _counts(areas)
    surveys = db.session.execute(select(Survey.id, Survey.code, Survey.title)).all()
    surveys.sort(key=lambda s: (-counts.get(s.id, 0), s.code))
    return [Option(code, f"{localized(title, lang, code)} ({format_decimal(counts.get(sid, 0))})")
            for sid, code, title in surveys]


def _counts(areas: tuple[str, ...]) -> dict[int, int]:
    """Submissions per survey id in these areas, kept COUNTS_SECONDS in this process."""
    kept = current_app.extensions.setdefault("willay.survey_counts", {})
    now = time.monotonic()
    hit = kept.get(areas)
    if hit is not None and hit[0] > now:
        return hit[1]
    counted = SubmissionFilter(areas=areas).apply(
        select(Submission.survey_id, func.count().label("n")).group_by(Submission.survey_id))
    counts = dict(db.session.execute(counted).all())
    kept[areas] = (now + COUNTS_SECONDS, counts)
    return counts


def requested_by(job: Job, user: Any) -> bool:
    return db.session.get(JobRequester, (job.id, user.id)) is not None


def recent_exports(user: Any) -> list[Job]:
    """The user's last exports, newest request first (a shared one once, at their time)."""
    return list(db.session.scalars(
        select(Job).join(JobRequester, JobRequester.job_id == Job.id)
        .where(JobRequester.user_id == user.id, Job.kind == "export")
        .order_by(JobRequester.requested_at.desc(), Job.id.desc()).limit(RECENT)))
