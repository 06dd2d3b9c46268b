"""Grouped counts of public feedback in one department, read from the database for the
portal's publication (server/portal/publication.py). Only surveys marked public count;
spam never does. Nothing here leaves the server as it is: figures.py suppresses first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, null, select

from ..dashboard.ratings import rating_value
from ..extensions import db
from ..places.models import Place
from ..plans.models import Plan, Project, Theme, project_districts
from ..submissions.models import Submission
from ..surveys.models import Survey, SurveyVersion
from .models import PublicSurvey
from .publication import CountRow
from .sql import days_between, peru_month


@dataclass
class DepartmentData:
    """What publication.build needs for one department, plus the answer delays."""

    provinces: dict[str, list[str]]
    project_districts: dict[int, list[str]]
    themes: list[int]
    rows: list[CountRow] = field(default_factory=list)
    answer_days: dict[int, float] = field(default_factory=dict)  # median, per project
    place_answer_days: dict[str, float] = field(default_factory=dict)  # department, provinces


def public_surveys(department: str) -> list[Survey]:
    """Surveys marked public whose plan is the department's (or that have no plan)."""
    stmt = (select(Survey).join(PublicSurvey, PublicSurvey.survey_id == Survey.id)
            .outerjoin(Plan, Plan.id == Survey.plan_id)
            .where((Plan.department_ubigeo == department) | Survey.plan_id.is_(None))
            .order_by(Survey.id))
    return list(db.session.scalars(stmt))


def rating_question(survey_id: int) -> str | None:
    """The first rating question of the survey's newest published version."""
    definition = db.session.scalar(
        select(SurveyVersion.definition).where(SurveyVersion.survey_id == survey_id,
                                               SurveyVersion.status == "published")
        .order_by(SurveyVersion.number.desc()).limit(1))
    pages = definition.get("pages") if isinstance(definition, dict) else None
    for page in pages or []:
        for question in (page.get("questions") or []) if isinstance(page, dict) else []:
            if isinstance(question, dict) and question.get("type") == "rating":
                return question.get("id")
    return None


def department_data(department: str) -> DepartmentData:
    provinces: dict[str, list[str]] = defaultdict(list)
    for ubigeo, parent in db.session.execute(
            select(Place.ubigeo, Place.parent_ubigeo).where(
                Place.department_ubigeo == department, Place.level == "district")
            .order_by(Place.ubigeo)):
        provinces[parent].append(ubigeo)
    plans = list(db.session.scalars(select(Plan.id).where(Plan.department_ubigeo == department)))
    served: dict[int, list[str]] = {}
    project_ids: dict[tuple[int, str], int] = {}
    for project_id, plan_id, code in db.session.execute(
            select(Project.id, Project.plan_id, Project.code).where(Project.plan_id.in_(plans))):
        served[project_id] = []
        project_ids[(plan_id, code)] = project_id
    for project_id, ubigeo in db.session.execute(
            select(project_districts.c.project_id, project_districts.c.ubigeo)
            .where(project_districts.c.project_id.in_(list(served)))):
        served[project_id].append(ubigeo)
    theme_ids = {(plan_id, code): theme_id for theme_id, plan_id, code in db.session.execute(
        select(Theme.id, Theme.plan_id, Theme.code).where(Theme.plan_id.in_(plans)))}
    data = DepartmentData(dict(provinces), served, sorted(theme_ids.values()))
    delays: dict[int | str, list[tuple[float, int]]] = defaultdict(list)
    province_of = {d: p for p, ds in provinces.items() for d in ds}
    for survey in public_surveys(department):
        plan_ids = [survey.plan_id] if survey.plan_id else plans
        _survey_rows(survey, department, plan_ids, project_ids, theme_ids, data, delays,
                     province_of)
    data.answer_days = {p: _median(days) for p, days in delays.items() if isinstance(p, int)}
    data.place_answer_days = {p: _median(days) for p, days in delays.items()
                              if isinstance(p, str)}
    return data


def _median(histogram: list[tuple[float, int]]) -> float:
    """The median of values given with their counts (the mean of the two middle ones)."""
    ordered = sorted(histogram)
    total = sum(n for _value, n in ordered)
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, n in ordered:
        while middle and middle[0] < seen + n:
            found.append(value)
            middle.pop(0)
        seen += n
    return sum(found) / 2


def _lookup(table: dict[tuple[int, str], int], plan_ids: list[int], code: str | None
            ) -> int | None:
    found = {table[(p, code)] for p in plan_ids if (p, code) in table} if code else set()
    return found.pop() if len(found) == 1 else None


def _survey_rows(survey: Survey, department: str, plan_ids: list[int],
                 project_ids: dict, theme_ids: dict, data: DepartmentData,
                 delays: dict[int | str, list[tuple[float, int]]],
                 province_of: dict[str, str]) -> None:
    question = rating_question(survey.id)
    rating = (Submission.answers[question].as_string() if question else null()).label("r")
    month = peru_month(Submission.received_at).label("m")
    answered = case((Submission.responded_at.is_not(None), 1), else_=0).label("a")
    scope = (Submission.survey_id == survey.id, Submission.status != "spam",
             Place.department_ubigeo == department)
    groups = [Submission.district_ubigeo, Submission.project_code, Submission.theme_code,
              month, answered]
    # PostgreSQL refuses GROUP BY NULL: a survey without a rating question groups without it
    stmt = (select(*groups[:3], rating, *groups[3:], func.count())
            .join(Place, Place.ubigeo == Submission.district_ubigeo).where(*scope)
            .group_by(*groups, *([rating] if question else [])))
    grouped: dict[tuple, int] = defaultdict(int)
    for district, project_code, theme_code, raw, in_month, was_answered, n in db.session.execute(
            stmt):
        key = (district, _lookup(project_ids, plan_ids, project_code),
               _lookup(theme_ids, plan_ids, theme_code), rating_value(raw), in_month,
               bool(was_answered))
        grouped[key] += n
    data.rows.extend(CountRow(*key, n) for key, n in grouped.items())
    days = days_between(Submission.received_at, Submission.responded_at).label("d")
    for district, project_code, waited, n in db.session.execute(
            select(Submission.district_ubigeo, Submission.project_code, days, func.count())
            .join(Place, Place.ubigeo == Submission.district_ubigeo)
            .where(*scope, Submission.responded_at.is_not(None))
            .group_by(Submission.district_ubigeo, Submission.project_code, days)):
        project = _lookup(project_ids, plan_ids, project_code)
        if project is not None:
            delays[project].append((float(waited), n))
        if district in province_of:
            delays[department].append((float(waited), n))
            delays[province_of[district]].append((float(waited), n))
