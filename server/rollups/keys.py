"""What a submission adds to the rollups: its count key, its rating keys and its answer
delay, from the few attributes that decide them. Computed the same way at ingest, on review
and on rebuild, so that maintained and rebuilt rollups agree."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..dashboard.ratings import rating_value
from ..peru import PERU_OFFSET
from .models import NONE

SPAM = "spam"

# the submission attributes rollups depend on (a change to any other never moves a count)
ATTRIBUTES = ("survey_id", "version_id", "received_at", "district_ubigeo", "project_code",
              "theme_code", "status", "channel", "responded_at", "answers")


@dataclass(frozen=True)
class Dims:
    """The columns shared by counts and ratings, in key order after grain and day."""

    survey_id: int
    district: str
    project: str
    theme: str
    status: str
    channel: str
    answered: int


def peru_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(UTC) + PERU_OFFSET).date()


def as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def month_of(day: date) -> date:
    return day.replace(day=1)


def delay_tenths(received: datetime, responded: datetime) -> int:
    if received.tzinfo is None:
        received = received.replace(tzinfo=UTC)
    if responded.tzinfo is None:
        responded = responded.replace(tzinfo=UTC)
    tenths = (responded - received).total_seconds() / 8640
    # half away from zero, as SQL's round() in the rebuild (sql.py)
    return math.floor(tenths + 0.5) if tenths >= 0 else -math.floor(-tenths + 0.5)


def grain_keys(day: date, head: tuple, rest: tuple) -> tuple[tuple, tuple, tuple]:
    """The three rows one submission counts in: its day, its month, and its portal cell
    (grain "p": the month, with status only telling spam from the rest and no channel,
    which is all the portal reads). `rest` = (district, project, theme, status, channel,
    answered)."""
    district, project, theme, status, _channel, answered = rest
    month = month_of(day)
    portal = (district, project, theme, SPAM if status == SPAM else NONE, NONE, answered)
    return (("d", day, *head, *rest), ("m", month, *head, *rest), ("p", month, *head, *portal))


class Deltas:
    """Changes to the three rollup tables, added up before they are written."""

    def __init__(self) -> None:
        self.counts: Counter[tuple] = Counter()
        self.ratings: Counter[tuple] = Counter()
        self.delays: Counter[tuple] = Counter()

    def __bool__(self) -> bool:
        return any(self.counts.values()) or any(self.ratings.values()) or any(
            self.delays.values())

    def add(self, state: Mapping[str, Any], sign: int, questions: Iterable[str]) -> None:
        """`state` holds ATTRIBUTES; `questions` the rating question ids of its version."""
        day = peru_day(state["received_at"])
        responded = state.get("responded_at")
        dims = Dims(state["survey_id"], state["district_ubigeo"],
                    state.get("project_code") or NONE, state.get("theme_code") or NONE,
                    state.get("status") or "new", state["channel"], int(responded is not None))
        rest = (dims.district, dims.project, dims.theme, dims.status, dims.channel,
                dims.answered)
        for key in grain_keys(day, (dims.survey_id,), rest):
            self.counts[key] += sign
        answers = state.get("answers") or {}
        for question in questions:
            value = rating_value(answers.get(question)) if isinstance(answers, dict) else None
            if value is None:
                continue
            for key in grain_keys(day, (dims.survey_id, question, value), rest):
                self.ratings[key] += sign
        if responded is not None:
            self.delays[(dims.survey_id, dims.district, dims.project, dims.status,
                         delay_tenths(state["received_at"], responded))] += sign


_lock = threading.Lock()
_KEY = "willay_rollup_questions"


def rating_question_ids(definition: Any) -> tuple[str, ...]:
    pages = definition.get("pages") if isinstance(definition, dict) else None
    return tuple(q["id"] for page in pages or [] if isinstance(page, dict)
                 for q in page.get("questions") or []
                 if isinstance(q, dict) and q.get("type") == "rating"
                 and isinstance(q.get("id"), str))


def version_questions(connection, version_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Rating question ids per survey version (a published version never changes, so
    they are remembered per app)."""
    from ..surveys.models import SurveyVersion

    _questions = current_app.extensions.setdefault(_KEY, {})
    wanted = set(version_ids)
    with _lock:
        found = {v: _questions[v] for v in wanted if v in _questions}
    missing = wanted - set(found)
    if missing:
        rows = connection.execute(select(SurveyVersion.id, SurveyVersion.definition,
                                         SurveyVersion.status)
                                  .where(SurveyVersion.id.in_(missing)))
        for version_id, definition, status in rows:
            found[version_id] = rating_question_ids(definition)
            if status != "draft":
                with _lock:
                    _questions[version_id] = found[version_id]
    return found
