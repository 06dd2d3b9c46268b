"""The questions that become an export's columns, from the survey's published versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..surveys.models import Survey, SurveyVersion

SKIPPED_TYPES = ("note",)  # display only: never answered


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: dict[str, str]
    personal: bool
    choices: dict[str, dict[str, str]]  # value -> label by language


def survey_questions(code: str, version: int | None) -> list[Question] | None:
    """Questions of the survey's published versions (or of one version), the newest version's
    order first, then those only older versions have, so no answer is dropped; labels from
    the newest version that has the question. None if there is no such survey."""
    survey_id = db.session.scalar(select(Survey.id).where(Survey.code == code))
    if survey_id is None:
        return None
    stmt = select(SurveyVersion.definition).where(
        SurveyVersion.survey_id == survey_id, SurveyVersion.status == "published"
    ).order_by(SurveyVersion.number.desc())
    if version is not None:
        stmt = stmt.where(SurveyVersion.number == version)
    questions: dict[str, Question] = {}
    for definition in db.session.scalars(stmt):
        for page in definition["pages"]:
            for raw in page["questions"]:
                if raw["type"] in SKIPPED_TYPES or raw["id"] in questions:
                    continue
                questions[raw["id"]] = Question(
                    raw["id"], raw["type"], dict(raw.get("label") or {}),
                    bool(raw.get("personal")),
                    {c["value"]: dict(c.get("label") or {}) for c in raw.get("choices") or ()})
    return list(questions.values())
