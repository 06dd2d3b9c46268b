"""Surveys offered by SMS: their settings, keywords, published version and SMS plan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..surveys.compiled import CompiledSurvey, published_versions
from ..surveys.models import Survey, SurveyVersion
from .fit import Misfit, Step, fits_sms, sms_plan
from .models import SmsSurveySettings
from .texts import COMMAND_WORDS, folded


@dataclass(frozen=True)
class SmsSurvey:
    survey: Survey
    version: SurveyVersion
    compiled: CompiledSurvey
    steps: tuple[Step, ...]
    prompts: dict


class KeywordTaken(ValueError):
    """A keyword is a command (STOP, ESTADO…) or already starts another survey."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(", ".join(words))
        self.words = words


class NotForSms(ValueError):
    def __init__(self, misfits: list[Misfit]) -> None:
        super().__init__(", ".join(m.question_id for m in misfits))
        self.misfits = misfits


def latest_published(survey_id: int) -> SurveyVersion | None:
    return db.session.scalars(
        select(SurveyVersion).where(SurveyVersion.survey_id == survey_id,
                                    SurveyVersion.status == "published")
        .order_by(SurveyVersion.number.desc()).limit(1)).first()


def load(survey_id: int, version_id: int | None = None) -> SmsSurvey | None:
    version = db.session.get(SurveyVersion, version_id) if version_id else \
        latest_published(survey_id)
    if version is None or version.status != "published":
        return None
    survey = version.survey
    compiled = published_versions({(survey.code, version.number)}).get(
        (survey.code, version.number))
    if compiled is None:
        return None
    settings = db.session.get(SmsSurveySettings, survey_id)
    steps, _misfits = sms_plan(version.definition)
    return SmsSurvey(survey, version, compiled, tuple(steps),
                     dict(settings.prompts or {}) if settings else {})


def keyword_map() -> dict[str, tuple[int, str | None]]:
    """Folded keyword -> (survey id, its language or None) of every survey open to SMS."""
    out: dict[str, tuple[int, str | None]] = {}
    for row in db.session.scalars(select(SmsSurveySettings).where(SmsSurveySettings.enabled)):
        for word, language in (row.keywords or {}).items():
            out[folded(word)] = (row.survey_id, language if language in ("es", "qu") else None)
    return out


def configure(survey_id: int, enabled: bool, keywords: dict[str, str | None],
              prompts: dict | None = None) -> SmsSurveySettings:
    """Open (or close) a survey to SMS. Opening checks that its latest published version can
    be asked by SMS (NotForSms lists the questions that block it); a keyword must be one
    word, not a command and not another survey's (KeywordTaken)."""
    if enabled:
        version = latest_published(survey_id)
        blocking = [m for m in fits_sms(version.definition) if m.blocking] if version else []
        if version is None or blocking:
            raise NotForSms(blocking)
    words = {folded(k): v for k, v in keywords.items() if folded(k)}
    others = {w for w, (sid, _lang) in keyword_map().items() if sid != survey_id}
    taken = sorted(w for w in words if w in others or w in COMMAND_WORDS or " " in w)
    if taken:
        raise KeywordTaken(taken)
    row = db.session.get(SmsSurveySettings, survey_id) or SmsSurveySettings(survey_id=survey_id)
    row.enabled = enabled
    row.keywords = words
    if prompts is not None:
        row.prompts = prompts
    db.session.add(row)
    db.session.commit()
    return row
