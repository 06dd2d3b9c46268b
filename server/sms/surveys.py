"""Surveys offered by SMS: their settings, keywords, published version and SMS plan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..plans.models import Plan
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


def keyword_surveys() -> dict[str, list[tuple[int, str | None]]]:
    """Folded keyword -> [(survey id, its language or None)] of the surveys open to SMS that
    it starts: one, or one per region when regions share a word (the resident then says
    where they live first, server/sms/conversation.py)."""
    out: dict[str, list[tuple[int, str | None]]] = {}
    rows = db.session.scalars(select(SmsSurveySettings).where(SmsSurveySettings.enabled)
                              .order_by(SmsSurveySettings.survey_id))
    for row in rows:
        for word, language in (row.keywords or {}).items():
            out.setdefault(folded(word), []).append(
                (row.survey_id, language if language in ("es", "qu") else None))
    return out


def keyword_map() -> dict[str, tuple[int, str | None]]:
    """Folded keyword -> the first survey it starts (see keyword_surveys)."""
    return {word: found[0] for word, found in keyword_surveys().items()}


def survey_department(survey_id: int) -> str | None:
    """The department (ubigeo) of the plan a survey belongs to, if any."""
    return db.session.scalar(select(Plan.department_ubigeo).join(
        Survey, Survey.plan_id == Plan.id).where(Survey.id == survey_id))


def _shareable(word: str, survey_id: int, holders: list[tuple[int, str | None]]) -> bool:
    """Surveys of different regions may share a keyword; two of one region may not."""
    mine = survey_department(survey_id)
    theirs = [survey_department(sid) for sid, _lang in holders if sid != survey_id]
    return mine is not None and all(d is not None and d != mine for d in theirs)


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
    holders = keyword_surveys()
    others = {w for w, found in holders.items() if any(sid != survey_id for sid, _l in found)
              and not _shareable(w, survey_id, found)}
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
