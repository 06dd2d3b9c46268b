"""Grouped counts of public feedback in one department, read from the rollup tables
(server/rollups, kept exact at every change) for the portal's publication
(server/portal/publication.py). Only surveys marked public count; spam never does.
Nothing here leaves the server as it is: figures.py suppresses first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, select

from ..extensions import db
from ..places.models import Place
from ..places.services import ubigeo_prefix
from ..plans.models import Plan, Project, Theme, project_districts
from ..rollups.models import SubmissionAnswerDelay as D
from ..rollups.models import SubmissionRatingRollup as RR
from ..rollups.models import SubmissionRollup as R
from ..surveys.models import Survey, SurveyVersion
from .models import PublicSurvey
from .publication import CountRow


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
    """The survey's counts read from the rollups (server/rollups), spam left out."""
    question = rating_question(survey.id)
    in_department = R.district_ubigeo.like(ubigeo_prefix(department) + "%")
    # the portal's own rows (grain "p"): spam apart, channels added up (server/rollups/keys.py)
    scope = (R.grain == "p", R.survey_id == survey.id, R.status != "spam", in_department)
    cells = (R.district_ubigeo, R.project_code, R.theme_code, _month(R), R.answered)
    totals = _grouped(cells, R.n, scope)
    rated: dict[tuple, dict[int, int]] = defaultdict(dict)
    if question:
        rating_scope = (RR.grain == "p", RR.survey_id == survey.id, RR.status != "spam",
                        RR.question_id == question,
                        RR.district_ubigeo.like(ubigeo_prefix(department) + "%"))
        for *cell, value, n in _grouped((RR.district_ubigeo, RR.project_code, RR.theme_code,
                                         _month(RR), RR.answered, RR.value), RR.n,
                                        rating_scope):
            rated[tuple(cell)][value] = n
    grouped: dict[tuple, int] = defaultdict(int)
    projects: dict[str, int | None] = {}
    themes: dict[str, int | None] = {}
    for *cell, n in totals:
        district, project_code, theme_code, month, was_answered = cell
        if project_code not in projects:
            projects[project_code] = _lookup(project_ids, plan_ids, project_code or None)
        if theme_code not in themes:
            themes[theme_code] = _lookup(theme_ids, plan_ids, theme_code or None)
        base = (district, projects[project_code], themes[theme_code])
        month_text, answered = month[:7], bool(was_answered)
        values = rated.get(tuple(cell), {})
        for value, count in values.items():
            grouped[(*base, value, month_text, answered)] += count
        unrated = n - sum(values.values())
        if unrated:
            grouped[(*base, None, month_text, answered)] += unrated
    data.rows.extend(CountRow(*key, n) for key, n in grouped.items())
    delay_scope = (D.survey_id == survey.id, D.status != "spam",
                   D.district_ubigeo.like(ubigeo_prefix(department) + "%"))
    for district, project_code, tenths, n in _grouped(
            (D.district_ubigeo, D.project_code, D.tenths), D.n, delay_scope):
        waited = tenths / 10
        if project_code not in projects:
            projects[project_code] = _lookup(project_ids, plan_ids, project_code or None)
        project = projects[project_code]
        if project is not None:
            delays[project].append((waited, n))
        if district in province_of:
            delays[department].append((waited, n))
            delays[province_of[district]].append((waited, n))


def _month(model):
    """A month row's day as 'YYYY-MM-DD' text on both databases (no date parsing per row)."""
    return cast(model.day, String)


def _grouped(columns: tuple, n, scope: tuple) -> list[tuple]:
    total = func.sum(n)
    # Core rows on the session's connection: thousands of cells, no ORM work per row
    return db.session.connection().execute(
        select(*columns, total).where(*scope).group_by(*columns).having(total > 0)).all()
