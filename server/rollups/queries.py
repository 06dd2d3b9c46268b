"""Reading the rollups with the console's filters (server/submissions/filters.py).

Every filter but the survey version, the language, the device and the text search is a
column of the rollups; `covers` says whether a filter can be answered here (otherwise the
caller counts raw submissions, docs/rollups.md). A date range reads whole months from the
month rows and only its partial months from the day rows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..places.names import search_key
from ..places.services import ubigeo_prefix
from ..plans.models import Project, Theme
from ..submissions.filters import SubmissionFilter
from ..surveys.models import Survey
from .models import SubmissionRatingRollup, SubmissionRollup

Model = type[SubmissionRollup] | type[SubmissionRatingRollup]


def covers(flt: SubmissionFilter) -> bool:
    return not (flt.version or flt.language or flt.device
                or (flt.q and search_key(flt.q)))


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _whole_months(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """[start, end) of the months lying wholly inside first..last (None: unbounded)."""
    start = None if first is None else first if first.day == 1 else _next_month(first)
    end = None if last is None else _next_month(last) if (
        last + timedelta(days=1)).day == 1 else last.replace(day=1)
    return start, end


def _period(model: Model, first: date | None, last: date | None, days_only: bool,
            month: str = "m"):
    if days_only:
        conditions = [model.grain == "d"]
        if first:
            conditions.append(model.day >= first)
        if last:
            conditions.append(model.day <= last)
        return and_(*conditions)
    if first is None and last is None:
        return model.grain == month
    start, end = _whole_months(first, last)
    months = [model.day >= start] if start else []
    if end:
        months.append(model.day < end)
    if start and end and start >= end:
        return _period(model, first, last, True)
    in_months = and_(*months)
    return or_(and_(model.grain == month, in_months),
               and_(_period(model, first, last, True), ~in_months))


def conditions(model: Model, flt: SubmissionFilter, days_only: bool = False,
               month: str = "m") -> list:
    out = [_period(model, flt.date_from, flt.date_to, days_only, month)]
    if flt.survey:
        out.append(model.survey_id == select(Survey.id).where(
            Survey.code == flt.survey).scalar_subquery())
    if flt.place:
        out.append(model.district_ubigeo.like(ubigeo_prefix(flt.place) + "%"))
    if flt.areas:
        out.append(or_(*(model.district_ubigeo.like(ubigeo_prefix(a) + "%")
                         for a in flt.areas)))
    if flt.project:
        out.append(model.project_code == flt.project)
    if flt.theme:
        theme_projects = select(Project.code).join(Theme, Project.theme_id == Theme.id).where(
            Theme.code == flt.theme)
        out.append(or_(model.theme_code == flt.theme, model.project_code.in_(theme_projects)))
    if flt.status:
        out.append(model.status == flt.status)
    if flt.channel:
        out.append(model.channel == flt.channel)
    return out


def grouped(model: Model, flt: SubmissionFilter, *columns, where=(),
            days_only: bool = False) -> list[tuple]:
    """(columns…, count) for every group with a positive count. Whole months are read from
    the portal rows (grain "p": statuses but spam and channels summed, far fewer) when
    neither the filter nor the grouping needs a status or a channel."""
    total = func.sum(model.n)
    coarse = not (flt.status or flt.channel or any(
        c is model.status or c is model.channel for c in columns))
    month = "p" if coarse else "m"  # (`where` never names a status or channel)
    stmt = (select(*columns, total).where(*conditions(model, flt, days_only, month), *where)
            .group_by(*columns).having(total > 0))
    return [tuple(row) for row in db.session.connection().execute(stmt).all()]


def counted(model: Model, flt: SubmissionFilter, *where) -> int:
    stmt = select(func.coalesce(func.sum(model.n), 0)).where(*conditions(model, flt), *where)
    return int(db.session.scalar(stmt) or 0)
