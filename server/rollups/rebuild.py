"""Rollups computed again from the submissions, in one transaction that replaces them (the
migration, `willay rollups rebuild` and the `rollups_rebuild` job). Grouping happens in the
database, one pass per survey version; only rating answers are normalised in Python."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import delete, func, select, text

from ..dashboard.ratings import rating_value
from ..extensions import db
from ..submissions.models import Submission
from ..surveys.models import SurveyVersion
from .keys import Deltas, as_date, grain_keys, rating_question_ids
from .models import NONE, SubmissionAnswerDelay, SubmissionRatingRollup, SubmissionRollup
from .sql import peru_date, tenths_between
from .write import apply

log = logging.getLogger(__name__)
TABLES = (SubmissionRollup, SubmissionRatingRollup, SubmissionAnswerDelay)
Progress = Callable[[int, int], None]

_S = Submission
_DAY = peru_date(_S.received_at).label("day")
_ANSWERED = (_S.responded_at.is_not(None)).label("answered")
_DIMS = (_S.survey_id, _S.district_ubigeo, _S.project_code, _S.theme_code, _S.status,
         _S.channel)


def _key_rest(district, project, theme, status, channel, answered) -> tuple:
    return (district, project or NONE, theme or NONE, status, channel, int(bool(answered)))


def _count_pass(connection, version_id: int, deltas: Deltas) -> int:
    stmt = (select(_DAY, *_DIMS, _ANSWERED, func.count()).where(_S.version_id == version_id)
            .group_by(_DAY, *_DIMS, _ANSWERED))
    total = 0
    for day, survey_id, *rest, n in connection.execute(stmt):
        for key in grain_keys(as_date(day), (survey_id,), _key_rest(*rest)):
            deltas.counts[key] += n
        total += n
    return total


def _rating_pass(connection, version_id: int, question: str, deltas: Deltas) -> None:
    raw = _S.answers[question].as_string().label("raw")
    stmt = (select(_DAY, *_DIMS, _ANSWERED, raw, func.count())
            .where(_S.version_id == version_id, raw.is_not(None))
            .group_by(_DAY, *_DIMS, _ANSWERED, raw))
    for day, survey_id, district, project, theme, status, channel, answered, value, n in (
            connection.execute(stmt)):
        value = rating_value(value)
        if value is None:
            continue
        rest = _key_rest(district, project, theme, status, channel, answered)
        for key in grain_keys(as_date(day), (survey_id, question, value), rest):
            deltas.ratings[key] += n


def _delay_pass(connection, deltas: Deltas) -> None:
    tenths = tenths_between(_S.received_at, _S.responded_at).label("tenths")
    stmt = (select(_S.survey_id, _S.district_ubigeo, _S.project_code, _S.status, tenths,
                   func.count()).where(_S.responded_at.is_not(None))
            .group_by(_S.survey_id, _S.district_ubigeo, _S.project_code, _S.status, tenths))
    for survey_id, district, project, status, waited, n in connection.execute(stmt):
        deltas.delays[(survey_id, district, project or NONE, status, int(waited))] += n


def fill(connection, progress: Progress | None = None) -> int:
    """Count every submission into empty rollup tables; returns how many were counted."""
    versions = _versions(connection)
    total = sum(n for _v, _d, n in versions)
    done = 0
    if progress:
        progress(0, total)
    for version_id, definition, n in versions:
        deltas = Deltas()
        _count_pass(connection, version_id, deltas)
        for question in rating_question_ids(definition):
            _rating_pass(connection, version_id, question, deltas)
        apply(connection, deltas)
        done += n
        if progress:
            progress(done, total)
    deltas = Deltas()
    _delay_pass(connection, deltas)
    apply(connection, deltas)
    return done


def rebuild(progress: Progress | None = None) -> int:
    """Replace every rollup; returns the submissions counted. Commits."""
    session = db.session
    try:
        if progress:
            # the total is told before the write lock is taken: on SQLite nothing else can
            # write (the job's progress neither) until the rebuild commits
            progress(0, sum(n for _v, _d, n in _versions(session.connection())))
            session.rollback()
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # ingests wait for the rebuild (their counts then land on the rebuilt rows)
            connection.execute(text(
                "LOCK TABLE submission_rollups, submission_rating_rollups, "
                "submission_answer_delays IN EXCLUSIVE MODE"))
        for model in TABLES:  # first: on SQLite this takes the write lock
            connection.execute(delete(model))
        done = fill(connection, progress)
        session.commit()
    except Exception:
        session.rollback()
        raise
    log.info("rollups rebuilt from %s submissions", done)
    return done


def _versions(connection) -> list[tuple]:
    """(version id, definition, submissions) of every version that has submissions."""
    counts = dict(connection.execute(select(_S.version_id, func.count()).group_by(
        _S.version_id)).all())
    rows = connection.execute(select(SurveyVersion.id, SurveyVersion.definition).where(
        SurveyVersion.id.in_(list(counts))).order_by(SurveyVersion.id)).all()
    return [(vid, definition, counts[vid]) for vid, definition in rows]
