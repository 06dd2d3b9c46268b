"""Rating questions (type `rating`, answers 1–5) and their answer counts.

Answers live in the `Submission.answers` JSON. The value is read with SQLAlchemy's JSON
index (`answers[question].as_string()`), which compiles to `JSON_EXTRACT` on SQLite and
`->>` on PostgreSQL, and grouped in SQL; values are normalised in Python (SQLite gives 4 or
4.0, PostgreSQL '4'), so a stray non-numeric answer is skipped instead of breaking a cast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..submissions.filters import SubmissionFilter
from ..submissions.models import Submission
from ..surveys.models import Survey, SurveyVersion

SCALE = (1, 2, 3, 4, 5)
GOOD = 4  # ratings of 4 and 5 count as residents being satisfied


@dataclass(frozen=True)
class RatingQuestion:
    survey_id: int
    survey_code: str
    survey_title: dict
    question_id: str
    label: dict


@dataclass
class RatingCounts:
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCALE, 0))

    def add(self, raw: object, n: int) -> None:
        value = rating_value(raw)
        if value is not None:
            self.counts[value] += n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        total = self.total
        return sum(k * v for k, v in self.counts.items()) / total if total else None

    @property
    def good_share(self) -> float | None:
        total = self.total
        return sum(v for k, v in self.counts.items() if k >= GOOD) / total if total else None


def rating_value(raw: object) -> int | None:
    try:
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and int(number) in SCALE else None


def rating_questions(flt: SubmissionFilter) -> list[RatingQuestion]:
    """Every rating question of the published versions the filter can reach; the label is
    the newest version's."""
    stmt = (select(SurveyVersion.survey_id, SurveyVersion.definition, Survey.code, Survey.title)
            .join(Survey, Survey.id == SurveyVersion.survey_id)
            .where(SurveyVersion.status == "published")
            .order_by(Survey.code, SurveyVersion.number.desc()))
    if flt.survey:
        stmt = stmt.where(Survey.code == flt.survey)
    if flt.version:
        stmt = stmt.where(SurveyVersion.number == flt.version)
    found: dict[tuple[int, str], RatingQuestion] = {}
    for survey_id, definition, code, title in db.session.execute(stmt):
        for question in _questions(definition):
            key = (survey_id, question.get("id"))
            if question.get("type") == "rating" and key not in found:
                found[key] = RatingQuestion(survey_id, code, title or {}, question["id"],
                                            question.get("label") or {})
    return list(found.values())


def _questions(definition: dict) -> list[dict]:
    pages = definition.get("pages") if isinstance(definition, dict) else None
    return [q for page in pages or [] if isinstance(page, dict)
            for q in page.get("questions") or [] if isinstance(q, dict)]


def rating_counts(question: RatingQuestion, flt: SubmissionFilter) -> RatingCounts:
    value = Submission.answers[question.question_id].as_string()
    stmt = flt.apply(select(value, func.count()).where(
        Submission.survey_id == question.survey_id, value.is_not(None)).group_by(value))
    result = RatingCounts()
    for raw, n in db.session.execute(stmt):
        result.add(raw, n)
    return result


def rating_counts_by_project(question: RatingQuestion, flt: SubmissionFilter,
                             codes: list[str]) -> dict[str, RatingCounts]:
    value = Submission.answers[question.question_id].as_string()
    stmt = flt.apply(select(Submission.project_code, value, func.count()).where(
        Submission.survey_id == question.survey_id, Submission.project_code.in_(codes),
        value.is_not(None)).group_by(Submission.project_code, value))
    result: dict[str, RatingCounts] = {}
    for code, raw, n in db.session.execute(stmt):
        result.setdefault(code, RatingCounts()).add(raw, n)
    return result
