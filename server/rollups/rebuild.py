"""Rollups computed again from the submissions (the migration, `willay rollups rebuild` and
the `rollups_rebuild` job). Grouping happens in the database, one pass per survey version
and span of days; only rating answers are normalised in Python."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, text

from ..dashboard.ratings import rating_value
from ..extensions import db
from ..peru import PERU_OFFSET
from ..submissions.models import Submission
from ..surveys.models import SurveyVersion
from . import staging
from .keys import Deltas, as_date, grain_keys, peru_day, rating_question_ids
from .models import NONE
from .sql import peru_date, tenths_between
from .write import TABLES, apply

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
# submissions are counted in spans of days holding about this many: progress moves and
# memory stays bounded
CHUNK_ROWS = 100_000


class _Version(NamedTuple):
    id: int
    definition: Any
    submissions: int
    first_at: datetime
    last_at: datetime

_S = Submission
_DAY = peru_date(_S.received_at).label("day")
_ANSWERED = (_S.responded_at.is_not(None)).label("answered")
_DIMS = (_S.survey_id, _S.district_ubigeo, _S.project_code, _S.theme_code, _S.status,
         _S.channel)


def _key_rest(district, project, theme, status, channel, answered) -> tuple:
    return (district, project or NONE, theme or NONE, status, channel, int(bool(answered)))


Span = tuple[datetime, datetime]  # arrivals from, up to (not included): whole Peru days


def _in(version_id: int, span: Span):
    return (_S.version_id == version_id, _S.received_at >= span[0],
            _S.received_at < span[1])


def _spans(version: _Version) -> list[Span]:
    """Whole Peru days, in about `submissions / CHUNK_ROWS` spans of equal length. The
    passes group by day, so a span adds no grouped rows (only month rows written twice
    where a month is cut, which the difference sums)."""
    first, last = peru_day(version.first_at), peru_day(version.last_at)
    days = (last - first).days + 1
    step = math.ceil(days / max(1, min(days, math.ceil(version.submissions / CHUNK_ROWS))))
    return [(_peru_midnight(first + timedelta(days=d)),
             _peru_midnight(first + timedelta(days=min(d + step, days))))
            for d in range(0, days, step)]


def _peru_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - PERU_OFFSET


def _count_pass(connection, version_id: int, span: Span, deltas: Deltas) -> int:
    stmt = (select(_DAY, *_DIMS, _ANSWERED, func.count()).where(*_in(version_id, span))
            .group_by(_DAY, *_DIMS, _ANSWERED))
    total = 0
    for day, survey_id, *rest, n in connection.execute(stmt):
        for key in grain_keys(as_date(day), (survey_id,), _key_rest(*rest)):
            deltas.counts[key] += n
        total += n
    return total


def _rating_pass(connection, version_id: int, span: Span, question: str,
                 deltas: Deltas) -> None:
    raw = _S.answers[question].as_string().label("raw")
    stmt = (select(_DAY, *_DIMS, _ANSWERED, raw, func.count())
            .where(*_in(version_id, span), raw.is_not(None))
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


Writer = Callable[[object, Deltas], None]


def fill(connection, progress: Progress | None = None, write: Writer = apply) -> int:
    """Count every submission (into empty rollup tables, or through `write`); returns how
    many were counted."""
    versions = _versions(connection)
    total = sum(v.submissions for v in versions)
    done = 0
    if progress:
        progress(0, total)
    for version in versions:
        questions = rating_question_ids(version.definition)
        for span in _spans(version):
            deltas = Deltas()
            done += _count_pass(connection, version.id, span, deltas)
            for question in questions:
                _rating_pass(connection, version.id, span, question, deltas)
            write(connection, deltas)
            if progress:
                progress(done, total)
    deltas = Deltas()
    _delay_pass(connection, deltas)
    write(connection, deltas)
    return done


def rebuild(progress: Progress | None = None) -> int:
    """Put every rollup right; returns the submissions counted.

    The long part reads: in one snapshot (a read transaction on SQLite's WAL, REPEATABLE
    READ on PostgreSQL) the rollups as they stand go into temporary tables with their sign
    turned, and the recount is added to them. Summed by key (still without a lock on the
    live rollups), what is left is the difference between the recount and the rollups of
    that snapshot. A short write transaction adds it to the live rollups, which meanwhile
    took every change made after the snapshot from the hooks (hooks.py), so the result is
    exact. Ingest and the job's own progress go on writing while the rebuild counts; they
    wait only for the short write."""
    connection = db.engine.connect()
    try:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        staging.create(connection)
        if connection.dialect.name == "sqlite":
            # the sqlite3 module opens a transaction only before a write: without this
            # BEGIN every SELECT would read its own moment; with it they all read the first
            connection.exec_driver_sql("BEGIN")
        for name, live in TABLES:
            staging.take_away(connection, name, live)
        done = fill(connection, progress, staging.write)
        connection.commit()  # the snapshot ends; the temporary tables keep their rows
        for name, live in TABLES:  # still no lock on the live rollups
            staging.settle(connection, name, live)
        connection.commit()
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="READ COMMITTED")
            # no ingest adds to a row between the difference and the clean-up of zeros
            connection.execute(text(
                "LOCK TABLE submission_rollups, submission_rating_rollups, "
                "submission_answer_delays IN EXCLUSIVE MODE"))
        for name, live in TABLES:
            staging.add_difference(connection, name, live)
            connection.execute(delete(live).where(live.c.n == 0))
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        staging.drop(connection)
        connection.close()
    log.info("rollups rebuilt from %s submissions", done)
    return done


def _versions(connection) -> list[_Version]:
    """Every survey version that has submissions, with how many and their first and last
    arrival."""
    spans = {vid: (n, first, last) for vid, n, first, last in
             connection.execute(select(_S.version_id, func.count(), func.min(_S.received_at),
                                       func.max(_S.received_at)).group_by(_S.version_id))}
    rows = connection.execute(select(SurveyVersion.id, SurveyVersion.definition).where(
        SurveyVersion.id.in_(list(spans))).order_by(SurveyVersion.id)).all()
    return [_Version(vid, definition, *spans[vid]) for vid, definition in rows]
